import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { describe } from 'vitest';
import { type DbHandle, type Engine, openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { pgliteTemplatePath, pgTemplateName, templateHash } from './db-templates.js';

/**
 * Integration tests run on both engines. PostgreSQL is used when DATABASE_URL is set
 * (CI sets it to 127.0.0.1:5432); each test database is created fresh and dropped after,
 * so runs never see each other's rows.
 */
const adminUrl = process.env.DATABASE_URL;

export const engines: Engine[] = adminUrl ? ['pglite', 'postgres'] : ['pglite'];

// In CI a missing server is a failure, not a skip: a CI that ran PGlite alone would prove
// nothing about the engine production runs on.
if (!adminUrl && process.env.CI) {
  throw new Error('CI is set but DATABASE_URL is not: the PostgreSQL variants of the tests cannot run');
}

if (!adminUrl && !process.env.RELANCE_SKIP_PG_NOTICE) {
  process.env.RELANCE_SKIP_PG_NOTICE = '1';
  console.warn('[relance tests] DATABASE_URL is not set: PostgreSQL variants are skipped (CI sets it).');
}

export interface TestDb extends DbHandle {
  /** Connection string of the per-test database (postgres only), for child processes. */
  url?: string;
  drop(): Promise<void>;
}

function urlWithDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

// The migrated templates the global setup built (test/helpers/db-templates.ts), if any.
const hash = templateHash();
let pgliteTemplate: Blob | null | undefined;
function pgliteTemplateBlob(): Blob | null {
  if (pgliteTemplate === undefined) {
    const path = pgliteTemplatePath(hash);
    pgliteTemplate = existsSync(path) ? new Blob([readFileSync(path)]) : null;
  }
  return pgliteTemplate;
}

/** A new database; from the migrated template when there is one (createTestDb still runs
 * `migrate`, which then only checks that every migration is there). */
async function createPgDatabase(admin: pg.Client, name: string, fromTemplate: boolean): Promise<void> {
  if (fromTemplate) {
    try {
      await admin.query(`create database ${name} template ${pgTemplateName(hash)}`);
      return;
    } catch {
      // No template (a run without the global setup) or one being built: start empty.
    }
  }
  await admin.query(`create database ${name}`);
}

export async function createTestDb(engine: Engine, opts: { migrate?: boolean } = {}): Promise<TestDb> {
  let handle: DbHandle;
  let url: string | undefined;
  let dropDb = async () => {};
  const fromTemplate = opts.migrate !== false;
  if (engine === 'pglite') {
    const template = fromTemplate ? pgliteTemplateBlob() : null;
    handle = await openDatabase({ dataDir: 'memory://', ...(template ? { loadDataDir: template } : {}) });
  } else {
    if (!adminUrl) throw new Error('DATABASE_URL is required for the postgres engine');
    const name = `relance_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await createPgDatabase(admin, name, fromTemplate);
    await admin.end();
    url = urlWithDatabase(adminUrl, name);
    handle = await openDatabase({ databaseUrl: url, poolSize: 6 });
    dropDb = async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  }
  if (opts.migrate !== false) await migrate(handle);
  return {
    ...handle,
    ...(url ? { url } : {}),
    async drop() {
      await handle.close();
      await dropDb();
    },
  };
}

/** `describe` once per available engine. */
export function describeEngines(name: string, fn: (engine: Engine) => void): void {
  for (const engine of engines) describe(`${name} [${engine}]`, () => fn(engine));
}
