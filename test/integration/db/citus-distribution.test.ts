import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

/**
 * The schema can be distributed by organisation on Citus (docs/ARCHITECTURE.md, "Scaling
 * out"): every tenant table is distributed on org_id, so each of its primary keys, unique
 * constraints and unique indexes must contain org_id, and each foreign key to another
 * distributed table must join on org_id too (Citus enforces both). A few small tables are
 * Citus reference tables instead — copied to every node — because they are read before the
 * organisation is known (credentials) or are the directory of organisations itself; they may
 * have global keys, but must not point at distributed tables.
 */
const REFERENCE_TABLES: Record<string, string> = {
  organisations: 'the tenant directory: org_id is its id',
  schema_migrations: 'the migration ledger, one row per migration',
  users: 'a person signs in by email before choosing an organisation',
  sessions: 'a session cookie is looked up by its hash before the organisation is known',
  api_keys: 'an API key is looked up by its prefix before the organisation is known',
  invitations: 'an invitation link is looked up by its hash before the invitee has an account',
};

interface Constraint {
  tbl: string;
  conname: string;
  contype: 'p' | 'u' | 'f';
  cols: string[];
  ftbl: string | null;
  fcols: string[] | null;
}

describeEngines('the schema is distributable by organisation (Citus)', (engine) => {
  let t: TestDb;
  let tables: string[];
  let constraints: Constraint[];
  let uniqueIndexes: { tbl: string; def: string }[];

  beforeAll(async () => {
    t = await createTestDb(engine);
    tables = (
      await sql<{ name: string }>`
        select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(t.db)
    ).rows.map((r) => r.name);
    constraints = (
      await sql<{
        tbl: string;
        conname: string;
        contype: 'p' | 'u' | 'f';
        cols: string;
        ftbl: string | null;
        fcols: string | null;
      }>`
        select c.conrelid::regclass::text as tbl, c.conname, c.contype,
          (select string_agg(a.attname, ',') from pg_attribute a
            where a.attrelid = c.conrelid and a.attnum = any (c.conkey)) as cols,
          case when c.contype = 'f' then c.confrelid::regclass::text end as ftbl,
          (select string_agg(a.attname, ',') from pg_attribute a
            where a.attrelid = c.confrelid and a.attnum = any (c.confkey)) as fcols
        from pg_constraint c join pg_namespace n on n.oid = c.connamespace
        where n.nspname = 'public' and c.contype in ('p', 'u', 'f')`.execute(t.db)
    ).rows.map((r) => ({
      ...r,
      cols: (r.cols ?? '').split(','),
      fcols: r.fcols ? r.fcols.split(',') : null,
    }));
    uniqueIndexes = (
      await sql<{ tbl: string; def: string }>`
        select tablename as tbl, indexdef as def from pg_indexes
        where schemaname = 'public' and indexdef like 'CREATE UNIQUE INDEX%'`.execute(t.db)
    ).rows;
  });
  afterAll(async () => t.drop());

  const distributed = () => tables.filter((x) => !(x in REFERENCE_TABLES));

  it('gives every distributed table an org_id column and a primary key that starts with it', async () => {
    const cols = await sql<{ tbl: string }>`
      select table_name as tbl from information_schema.columns
      where table_schema = 'public' and column_name = 'org_id'`.execute(t.db);
    const withOrg = new Set(cols.rows.map((r) => r.tbl));
    expect(distributed().filter((x) => !withOrg.has(x))).toEqual([]);
    const pk = new Map(constraints.filter((c) => c.contype === 'p').map((c) => [c.tbl, c.cols]));
    expect(distributed().filter((x) => !pk.get(x)?.includes('org_id'))).toEqual([]);
  });

  it('keeps org_id in every unique constraint and unique index of a distributed table', () => {
    const bad = [
      ...constraints
        .filter((c) => c.contype === 'u' && !(c.tbl in REFERENCE_TABLES) && !c.cols.includes('org_id'))
        .map((c) => `${c.tbl}: ${c.conname}`),
      ...uniqueIndexes
        .filter((i) => !(i.tbl in REFERENCE_TABLES) && !/\borg_id\b/.test(i.def))
        .map((i) => `${i.tbl}: ${i.def}`),
    ];
    expect(bad).toEqual([]);
  });

  it('joins every foreign key between distributed tables on org_id, and none from reference to distributed', () => {
    const fks = constraints.filter((c) => c.contype === 'f');
    const bad = fks
      .filter((c) => {
        const from = c.tbl in REFERENCE_TABLES ? 'reference' : 'distributed';
        const to = (c.ftbl ?? '') in REFERENCE_TABLES ? 'reference' : 'distributed';
        if (from === 'reference') return to === 'distributed';
        if (to === 'reference') return false;
        return !(c.cols.includes('org_id') && c.fcols?.includes('org_id'));
      })
      .map((c) => `${c.tbl} → ${c.ftbl}: ${c.conname} (${c.cols.join(', ')})`);
    expect(bad).toEqual([]);
  });

  it('lists no reference table that does not exist', () => {
    expect(Object.keys(REFERENCE_TABLES).filter((x) => !tables.includes(x))).toEqual([]);
  });
});
