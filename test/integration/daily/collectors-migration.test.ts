import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../../../src/services/auth/create-user.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, type OrgFixture, orgWithKey } from '../api/factories.js';

const migration = readFileSync(
  new URL('../../../src/db/migrations/0065_collectors_are_users.sql', import.meta.url),
  'utf8',
);

describeEngines('migration 0065: free-text collector names become user accounts', (engine) => {
  let t: TestDb;
  let a: OrgFixture;
  let claire = '';
  let otherOrgUser = '';

  beforeAll(async () => {
    t = await createTestDb(engine);
    a = await orgWithKey(t.db, 'Reprise SA');
    const b = await orgWithKey(t.db, 'Voisine SARL');
    const pw = 'correct horse battery';
    claire = (
      await createUser(t.db, a.org.id, {
        email: 'claire@reprise.fr',
        name: 'Claire Martin',
        password: pw,
        role: 'collector',
      })
    ).id;
    // Two users named alike: the name is ambiguous and must not pick one at random.
    await createUser(t.db, a.org.id, {
      email: 'jean1@reprise.fr',
      name: 'Jean Petit',
      password: pw,
      role: 'collector',
    });
    await createUser(t.db, a.org.id, {
      email: 'jean2@reprise.fr',
      name: 'Jean Petit',
      password: pw,
      role: 'collector',
    });
    // A namesake in another organisation never matches.
    otherOrgUser = (
      await createUser(t.db, b.org.id, {
        email: 'luc@voisine.fr',
        name: 'Luc Blanc',
        password: pw,
        role: 'collector',
      })
    ).id;
    const cs = await makeCustomers(t.db, a.org.id, 4, (i) => ({
      assigned_collector: ['  claire martin ', 'CLAIRE@reprise.fr', 'Jean Petit', 'Luc Blanc'][i],
      notes: i === 3 ? 'Client historique.' : null,
    }));
    await makeInvoices(t.db, a.org.id, [cs[0]?.id as string], 2, (i) => ({
      invoice_number: `MIG-${i}`,
      assigned_collector: i === 0 ? 'Claire Martin' : 'Ancien Stagiaire',
    }));
    await t.db
      .insertInto('tasks')
      .values([
        {
          org_id: a.org.id,
          customer_id: cs[0]?.id as string,
          kind: 'call',
          title: 'A',
          due_date: '2026-03-01',
          assignee: 'claire martin',
        },
        {
          org_id: a.org.id,
          customer_id: cs[0]?.id as string,
          kind: 'call',
          title: 'B',
          due_date: '2026-03-01',
          assignee: 'Marc',
        },
        {
          org_id: a.org.id,
          customer_id: cs[0]?.id as string,
          kind: 'call',
          title: 'C',
          due_date: '2026-03-01',
          assignee: claire,
        },
      ])
      .execute();
    await t.db.transaction().execute((trx) => sql.raw(migration).execute(trx));
  });
  afterAll(async () => {
    await t.drop();
  });

  it('gives customers to the one user whose name or email matches, else unassigns them with a note', async () => {
    const rows = await t.db
      .selectFrom('customers')
      .select(['external_ref', 'assigned_collector', 'notes'])
      .where('org_id', '=', a.org.id)
      .orderBy('external_ref')
      .execute();
    expect(rows.map((r) => r.assigned_collector)).toEqual([claire, claire, null, null]);
    expect(rows[2]?.notes).toContain('« Jean Petit » : aucun compte utilisateur ne correspond');
    expect(rows[3]?.notes).toMatch(/^Client historique\.\n.*« Luc Blanc »/);
    expect(rows.some((r) => r.assigned_collector === otherOrgUser)).toBe(false);
    // The first customer keeps a note for its invoice whose collector had no account.
    expect(rows[0]?.notes).toContain('Facture MIG-1 : chargé de recouvrement « Ancien Stagiaire »');
  });

  it('maps invoices and tasks the same way; unmatched task assignees stay in the task detail', async () => {
    const inv = await t.db
      .selectFrom('invoices')
      .select(['invoice_number', 'assigned_collector'])
      .where('org_id', '=', a.org.id)
      .orderBy('invoice_number')
      .execute();
    expect(inv.map((i) => i.assigned_collector)).toEqual([claire, null]);
    const tasks = await t.db
      .selectFrom('tasks')
      .select(['title', 'assignee', 'detail'])
      .where('org_id', '=', a.org.id)
      .orderBy('title')
      .execute();
    expect(tasks.map((x) => x.assignee)).toEqual([claire, null, claire]);
    expect(tasks[1]?.detail).toEqual({ previousAssignee: 'Marc' });
  });

  it('changes nothing when run again', async () => {
    const before = await t.db
      .selectFrom('customers')
      .select(['id', 'assigned_collector', 'notes'])
      .orderBy('id')
      .execute();
    await t.db.transaction().execute((trx) => sql.raw(migration).execute(trx));
    const after = await t.db
      .selectFrom('customers')
      .select(['id', 'assigned_collector', 'notes'])
      .orderBy('id')
      .execute();
    expect(after).toEqual(before);
  });
});
