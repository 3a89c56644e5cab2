import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

describeEngines('tenant isolation in the database', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => t.drop());

  it('puts org_id first in the primary key of every tenant table', async () => {
    const rows = await sql<{ table_name: string; first_key: string | null }>`
      select c.relname as table_name,
        (select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
          where i.indrelid = c.oid and i.indisprimary) as first_key
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname not in ('schema_migrations')
    `.execute(t.db);
    expect(rows.rows.length).toBeGreaterThan(5);
    for (const r of rows.rows) {
      const expected = r.table_name === 'organisations' ? 'id' : 'org_id';
      expect(`${r.table_name}:${r.first_key}`).toBe(`${r.table_name}:${expected}`);
    }
  });

  it('enables row-level security on every public table', async () => {
    const rows = await sql<{ relname: string; relrowsecurity: boolean }>`
      select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'schema_migrations'
    `.execute(t.db);
    expect(rows.rows.filter((r) => !r.relrowsecurity).map((r) => r.relname)).toEqual([]);
  });

  it("hides another organisation's rows even from a query without an org filter", async () => {
    const a = await createOrganisation(t.db, { name: 'Alpha SAS' });
    const b = await createOrganisation(t.db, { name: 'Beta SARL' });
    for (const org of [a, b]) {
      await t.db
        .insertInto('customers')
        .values({ org_id: org.id, external_ref: 'C1', name: `${org.legal_name} client` })
        .execute();
    }
    const seen = await withOrg(t.db, a.id, (trx) => trx.selectFrom('customers').select(['name']).execute());
    expect(seen.map((r) => r.name)).toEqual(['Alpha SAS client']);
    const orgs = await withOrg(t.db, a.id, (trx) => trx.selectFrom('organisations').select('slug').execute());
    expect(orgs.map((o) => o.slug)).toEqual(['alpha-sas']);
    await expect(
      withOrg(t.db, a.id, (trx) =>
        trx.insertInto('customers').values({ org_id: b.id, external_ref: 'X', name: 'intruder' }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
