import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../../src/db/connection.js';
import { listMigrations, migrate } from '../../src/db/migrate.js';

/**
 * Migrated templates for test databases, built once per run by the global setup: a PGlite
 * data-directory dump and a PostgreSQL template database. A fresh PGlite costs ~2 s of
 * initdb plus the migrations, a fresh PostgreSQL database ~0.8 s of migrations; starting
 * from a template costs a fraction of that. The name carries a hash of the migrations and of
 * migrate.ts, so a changed schema never starts from a stale template.
 */
export function templateHash(): string {
  const h = createHash('sha256');
  for (const m of listMigrations()) h.update(m.version).update(m.sql);
  h.update(readFileSync(fileURLToPath(new URL('../../src/db/migrate.ts', import.meta.url))));
  return h.digest('hex').slice(0, 16);
}

export const pgliteTemplatePath = (hash: string) => join(tmpdir(), `relance-test-pglite-${hash}.tar`);
export const pgTemplateName = (hash: string) => `relance_tpl_${hash}`;

export async function buildPgliteTemplate(hash: string): Promise<void> {
  const path = pgliteTemplatePath(hash);
  if (existsSync(path)) return;
  const handle = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrate(handle);
    const dump = await handle.dumpDataDir?.();
    if (!dump) return;
    // Written aside then renamed: a concurrent run never reads half a file.
    const tmp = `${path}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, path);
  } finally {
    await handle.close();
  }
}

export async function buildPgTemplate(adminUrl: string, hash: string): Promise<void> {
  const name = pgTemplateName(hash);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return;
    // Migrated under a temporary name, then renamed: nobody clones a half-migrated template.
    const building = `${name}_b${randomBytes(3).toString('hex')}`;
    await admin.query(`create database ${building}`);
    const u = new URL(adminUrl);
    u.pathname = `/${building}`;
    const handle = await openDatabase({ databaseUrl: u.toString(), poolSize: 1 });
    await migrate(handle);
    await handle.close();
    try {
      await admin.query(`alter database ${building} rename to ${name}`);
    } catch {
      await admin.query(`drop database if exists ${building} with (force)`);
    }
    // Templates of older schemas are dead weight.
    const old = await admin.query(
      "select datname from pg_database where datname like 'relance\\_tpl\\_%' and datname <> $1",
      [name],
    );
    for (const r of old.rows)
      await admin.query(`drop database if exists ${r.datname} with (force)`).catch(() => {});
  } finally {
    await admin.end();
  }
}
