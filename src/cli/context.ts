import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config.js';
import { openRuntime, type Runtime } from '../runtime.js';
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
 * a data directory creates it and applies migrations. Unlike `npm start`, a command never
 * seeds the demo company: `relance org create` on a new data directory must leave exactly
 * the organisation it was asked for (the demo comes from `npm start` or `relance demo`).
 */
export async function withRuntime<T>(cmd: Command, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const { verbose } = globalOptions(cmd);
  const loaded = loadConfig();
  // Logs are for the server; a command prints its own outcome, so only warnings show.
  const config: Config = { ...loaded, LOG_LEVEL: verbose ? loaded.LOG_LEVEL : 'warn' };
  const fresh = !config.DATABASE_URL && !existsSync(join(resolve(config.DATA_DIR), 'pglite'));
  if (fresh) notice(`Creating the ${describeDatabase(config)}…`);
  const rt = await openRuntime(config, { role: 'cli', seedDemo: false });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
