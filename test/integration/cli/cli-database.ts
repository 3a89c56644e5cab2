import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import { type Engine, openDatabase } from '../../../src/db/connection.js';
import { migrate } from '../../../src/db/migrate.js';
import type { Database } from '../../../src/db/schema/index.js';
import { createTestDb } from '../../helpers/db.js';
import { tempDataDir } from './spawn.js';

/**
 * The database a CLI run opens, and a way for the test to read it between runs. The embedded
 * engine is a data directory one process opens at a time, so the test's own handle is open
 * only while it seeds or checks, never while a command runs.
 */
export interface CliDatabase {
  env: Record<string, string>;
  use<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

export async function cliDatabase(engine: Engine): Promise<CliDatabase> {
  if (engine === 'postgres') {
    const t = await createTestDb('postgres');
    return {
      env: { DATABASE_URL: t.url ?? '', RELANCE_DEMO: 'false' },
      use: (fn) => fn(t.db),
      drop: () => t.drop(),
    };
  }
  const dataDir = tempDataDir();
  const first = await openDatabase({ dataDir });
  await migrate(first);
  await first.close();
  return {
    env: { DATA_DIR: dataDir, RELANCE_DEMO: 'false' },
    async use(fn) {
      const h = await openDatabase({ dataDir });
      try {
        return await fn(h.db);
      } finally {
        await h.close();
      }
    },
    async drop() {
      rmSync(dirname(dataDir), { recursive: true, force: true });
    },
  };
}
