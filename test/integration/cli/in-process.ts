import { vi } from 'vitest';
import { main } from '../../../src/cli/index.js';
import { type CliResult, childEnv } from './spawn.js';

const text = (chunk: string | Uint8Array) =>
  typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();

/**
 * Run `relance …` through the same entry point as bin/relance.js, inside the test process.
 * A spawned CLI pays Node, tsx and the TypeScript of every command again (5–10 s here);
 * in-process it pays them once per file. Its environment, output and exit code are the
 * child's: the command reads process.env, writes to process.stdout/stderr and sets
 * process.exitCode, so each is swapped in for the run and put back after.
 *
 * What only a real process shows (bin wiring, the data-directory lock held by another pid,
 * log lines pino writes straight to fd 1) stays with runCli in spawn.ts.
 */
export async function runCliInProcess(args: string[], env: Record<string, string>): Promise<CliResult> {
  const saved = { ...process.env };
  const runEnv = childEnv(env);
  for (const key of Object.keys(process.env)) if (!(key in runEnv)) delete process.env[key];
  Object.assign(process.env, runEnv);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += text(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += text(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    const code = await main([process.execPath, 'relance', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = 0;
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
