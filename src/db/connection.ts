import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect, PGliteLock } from './pglite-dialect.js';
import type { Database } from './schema/index.js';

export type Engine = 'pglite' | 'postgres';

export interface SqlResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

/**
 * One handle over either engine. `db` is the owner connection: migrations, organisation
 * management and cross-tenant sweeps. Tenant work goes through `withOrg`, which drops to
 * the row-level-security role for the length of a transaction.
 */
export interface DbHandle {
  engine: Engine;
  db: Kysely<Database>;
  /** Raw SQL for pg-boss and set-based bulk statements (multi-statement when no values). */
  executeSql(text: string, values?: unknown[]): Promise<SqlResult>;
  close(): Promise<void>;
  /** The data directory for the embedded engine, undefined on PostgreSQL. */
  dataDir?: string;
  /** Embedded engine only: a dump of the whole data directory (tests build templates with it). */
  dumpDataDir?(): Promise<Blob>;
}

// Business dates stay 'YYYY-MM-DD' strings (a JS Date would shift them across time zones);
// int8 (minor units, counts) become numbers: 2^53 minor units is 90 trillion euros.
const parseDate = (v: string) => v;
const parseInt8 = (v: string) => Number(v);

let pgTypesSet = false;
function setPgTypeParsers() {
  if (pgTypesSet) return;
  pg.types.setTypeParser(pg.types.builtins.DATE, parseDate);
  pg.types.setTypeParser(pg.types.builtins.INT8, parseInt8);
  pgTypesSet = true;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** Embedded data directory; 'memory://' for an in-memory database (tests). */
  dataDir?: string;
  /** With 'memory://': start from this data-directory dump instead of an empty cluster (tests
   * start from a migrated template, which skips PGlite's initdb and the migrations). */
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPGlite(opts.dataDir ?? './data', opts.loadDataDir);
}

async function openPostgres(url: string, max: number): Promise<DbHandle> {
  setPgTypeParsers();
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client dropped by the server (restart, `drop database … with (force)`) emits
  // 'error' on the pool; unhandled, it would crash the process. The pool replaces it.
  pool.on('error', () => {});
  // Fail fast with a readable message rather than on the first request.
  const client = await pool.connect();
  client.release();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    async executeSql(text, values) {
      const r = await pool.query(text, values);
      // A multi-statement text returns an array of results; pg-boss reads the last.
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return { rows: last?.rows ?? [], rowCount: last?.rowCount ?? 0 };
    },
    async close() {
      await db.destroy();
    },
  };
}

/** Kysely instances over the embedded engine: one connection, shared through PGliteLock. */
const embedded = new WeakSet<Kysely<Database>>();

/**
 * Whether `db` is the embedded engine: it cannot lend a connection for long (every other
 * query would wait behind it), and only this process can open its data directory.
 */
export function isEmbedded(db: Kysely<Database>): boolean {
  return embedded.has(db);
}

async function openPGlite(dataDir: string, loadDataDir?: Blob): Promise<DbHandle> {
  const memory = dataDir === 'memory://';
  let dir: string | undefined;
  if (!memory) {
    dir = resolve(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
  }
  const pglite = await PGlite.create(memory ? undefined : dir, {
    parsers: { [pgliteTypes.DATE]: parseDate, [pgliteTypes.INT8]: parseInt8 },
    ...(memory && loadDataDir ? { loadDataDir } : {}),
  });
  const lock = new PGliteLock();
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite, lock) });
  embedded.add(db);
  return {
    engine: 'pglite',
    db,
    ...(dir ? { dataDir: resolve(dataDir) } : {}),
    dumpDataDir: () => lock.exclusive(() => pglite.dumpDataDir('none')),
    executeSql(text, values) {
      return lock.exclusive(async () => {
        if (!values || values.length === 0) {
          const results = await pglite.exec(text);
          const last = results[results.length - 1];
          return {
            rows: (last?.rows ?? []) as Record<string, unknown>[],
            rowCount: last?.affectedRows ?? last?.rows.length ?? 0,
          };
        }
        const r = await pglite.query<Record<string, unknown>>(text, values);
        return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
      });
    },
    async close() {
      await db.destroy();
    },
  };
}

/** The role tenant work runs as; row-level security applies to it (see 0000 bootstrap). */
export const APP_ROLE = 'relance_app';

/**
 * Run `fn` in a transaction scoped to one organisation: `app.org_id` is set and the role
 * dropped to relance_app, so PostgreSQL's row-level security filters every statement even
 * if a query forgets its own org_id filter (it should not: that filter is the first lock).
 */
export async function withOrg<T>(
  db: Kysely<Database>,
  orgId: string,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const scope = async (trx: Kysely<Database>) => {
    // One statement for both (set_config('role') is SET LOCAL ROLE): a round trip fewer for
    // every transaction, which a dunning run opens by the hundred.
    await sql`select set_config('app.org_id', ${orgId}, true), set_config('role', ${APP_ROLE}, true)`.execute(
      trx,
    );
    return fn(trx);
  };
  if (db.isTransaction) return scope(db);
  return db.transaction().execute(scope);
}
