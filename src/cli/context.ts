import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config.js';
import { seedDemo } from '../demo/seed.js';
import { openRuntime, type Runtime, registerDemoSeeder } from '../runtime.js';
import { describeDatabase } from './describe-database.js';

export interface GlobalOptions {
  verbose?: boolean;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** Things done on first use that the user should hear about (on stderr, out of the way of --json). */
function notice(text: string): void {
  process.stderr.write(`${text}\n`);
}

/**
 * Open the configured database for one CLI command, and always close it. The first use of
 * a data directory creates it, applies migrations and seeds the demo (RELANCE_DEMO=false
 * skips it), exactly as the server does.
 */
export async function withRuntime<T>(
  cmd: Command,
  fn: (rt: Runtime) => Promise<T>,
  opts: { seedDemo?: boolean } = {},
): Promise<T> {
  const { verbose } = globalOptions(cmd);
  const loaded = loadConfig();
  // Logs are for the server; a command prints its own outcome, so only warnings show.
  const config: Config = { ...loaded, LOG_LEVEL: verbose ? loaded.LOG_LEVEL : 'warn' };
  const fresh = !config.DATABASE_URL && !existsSync(join(resolve(config.DATA_DIR), 'pglite'));
  registerDemoSeeder(async (handle, log) => {
    await seedDemo(handle, log);
    notice(
      'Created the demo organisation "Démo Industries SAS" (slug: demo). Set RELANCE_DEMO=false to skip it.',
    );
  });
  if (fresh) notice(`Creating the ${describeDatabase(config)}…`);
  const rt = await openRuntime(config, { role: 'cli', ...opts });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
