import type { Logger } from 'pino';
import type { Config } from './config.js';
import { type DbHandle, openDatabase } from './db/connection.js';
import { lockDataDir } from './db/data-dir-lock.js';
import { migrate } from './db/migrate.js';
import { listOrganisations } from './db/queries/organisations.js';
import { logger } from './logger.js';
import { failAbandonedImports } from './services/imports/fail-abandoned-imports.js';

export interface Runtime {
  config: Config;
  handle: DbHandle;
  log: Logger;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  role: 'server' | 'cli' | 'worker';
  /** Create the demo organisation on an empty database (config RELANCE_DEMO). */
  seedDemo?: boolean;
}

/** Seeds the demo company on first use. Registered by the demo module (kept out of the
 * import graph of processes that never seed). */
export type DemoSeeder = (handle: DbHandle, log: Logger) => Promise<void>;
let demoSeeder: DemoSeeder | undefined;
export function registerDemoSeeder(seeder: DemoSeeder): void {
  demoSeeder = seeder;
}

/**
 * Open the configured database the same way for the server, the CLI and workers: take the
 * data-directory lock (embedded engine), apply migrations, seed the demo on first use.
 */
export async function openRuntime(config: Config, opts: RuntimeOptions): Promise<Runtime> {
  const log = logger(config.LOG_LEVEL);
  const release = config.DATABASE_URL ? () => {} : lockDataDir(config.DATA_DIR, opts.role);
  let handle: DbHandle;
  try {
    handle = await openDatabase(
      config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.DATA_DIR },
    );
  } catch (e) {
    release();
    throw e;
  }
  const applied = await migrate(handle);
  if (applied.length > 0) log.info({ applied }, 'migrations applied');
  const abandoned = await failAbandonedImports(handle.db, { embedded: !config.DATABASE_URL });
  if (abandoned.length > 0) log.warn({ abandoned }, 'imports interrupted by a stopped process marked failed');
  if ((opts.seedDemo ?? config.RELANCE_DEMO) && demoSeeder) {
    const orgs = await listOrganisations(handle.db);
    if (orgs.length === 0) await demoSeeder(handle, log);
  }
  return {
    config,
    handle,
    log,
    async close() {
      await handle.close();
      release();
    },
  };
}
