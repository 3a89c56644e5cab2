import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { projectRoot } from '../project-root.js';
import { APP_ROLE, type DbHandle } from './connection.js';

const migrationsDir = join(projectRoot, 'src/db/migrations');

export interface Migration {
  version: string;
  sql: string;
}

export function listMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

// Roles are cluster-wide on PostgreSQL: several databases (and concurrent test runs) share
// one relance_app role, so creation tolerates a concurrent creator.
const bootstrapSql = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    BEGIN
      CREATE ROLE ${APP_ROLE} NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END $$;
DO $$
BEGIN
  EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
EXCEPTION WHEN OTHERS THEN NULL;
END $$;
CREATE TABLE IF NOT EXISTS schema_migrations (
  version text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);
`;

/**
 * Every table with an org_id column gets row-level security keyed on app.org_id, and the
 * app role gets DML on it. Done generically after each migration so a new table cannot
 * forget its policy; a test asserts every public table is covered.
 */
const tenantIsolationSql = `
DO $$
DECLARE t record;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = 'public' AND c.column_name = 'org_id' AND tb.table_type = 'BASE TABLE'
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.table_name);
    IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'public' AND tablename = t.table_name AND policyname = 'tenant_isolation') THEN
      EXECUTE format(
        'CREATE POLICY tenant_isolation ON %I USING (org_id = nullif(current_setting(''app.org_id'', true), '''')::uuid) WITH CHECK (org_id = nullif(current_setting(''app.org_id'', true), '''')::uuid)',
        t.table_name);
    END IF;
  END LOOP;
END $$;
ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'public' AND tablename = 'organisations' AND policyname = 'tenant_isolation') THEN
    CREATE POLICY tenant_isolation ON organisations
      USING (id = nullif(current_setting('app.org_id', true), '')::uuid)
      WITH CHECK (id = nullif(current_setting('app.org_id', true), '')::uuid);
  END IF;
END $$;
GRANT USAGE ON SCHEMA public TO ${APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE};
REVOKE ALL ON schema_migrations FROM ${APP_ROLE};
`;

/** Apply pending migrations, each in its own transaction, under an advisory lock so
 * several processes starting together apply each migration exactly once. */
export async function migrate(handle: DbHandle, migrations = listMigrations()): Promise<string[]> {
  await handle.executeSql(bootstrapSql);
  const applied: string[] = [];
  const done = new Set(
    (await handle.executeSql('SELECT version FROM schema_migrations')).rows.map((r) => String(r.version)),
  );
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    const ran = await handle.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(7262636)`.execute(trx);
      const already = await sql`select 1 from schema_migrations where version = ${m.version}`.execute(trx);
      if (already.rows.length > 0) return false;
      await sql.raw(m.sql).execute(trx);
      await sql`insert into schema_migrations (version) values (${m.version})`.execute(trx);
      return true;
    });
    if (ran) applied.push(m.version);
  }
  await handle.executeSql(tenantIsolationSql);
  return applied;
}
