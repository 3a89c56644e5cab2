import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tempDataDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'relance-cli-')), 'data');
}

/** Environment for a child: the embedded engine unless a database URL is given. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', RELANCE_DEMO: '', ...extra };
}

/** Run the real CLI, as a user would (`npx relance …` runs bin/relance.js). */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/relance.js'), ...args], {
      cwd: repoRoot,
      env: childEnv(env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Start `npm start`'s entry point and resolve with its URL once it prints it. */
export function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/main.ts')], {
      cwd: repoRoot,
      env: childEnv({ PORT: '0', ...env }),
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Relance is running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) done({ child, url: m[1], output: () => out });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`server exited with ${code} before listening:\n${out}`)));
  });
}

export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.on('exit', (code) => done(code)));
}
