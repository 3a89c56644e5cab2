import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../../../src/services/auth/create-user.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, type OrgFixture, orgWithKey, testServer } from '../api/factories.js';

interface Group {
  customer: { id: string; name: string };
  items: number;
  tasks: number;
  atStake: { amount: number; currency: string }[];
  maxDaysLate: number;
  pendingSends: number;
  entries: {
    type: string;
    id: string;
    customer: { id: string };
    invoice: { invoiceNumber: string } | null;
  }[];
}
interface GroupPage {
  items: Group[];
  nextCursor: string | null;
}

describeEngines('worklist grouped by customer over HTTP', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let ids: string[] = [];
  let userId = '';

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Négoce Lyonnais SA');
    userId = (
      await createUser(t.db, a.org.id, {
        email: 'paul.girard@example.fr',
        name: 'Paul Girard',
        password: 'correct horse battery',
        role: 'collector',
      })
    ).id;
    const cs = await makeCustomers(t.db, a.org.id, 4);
    ids = cs.map((c) => c.id);
    // Customer 0: ten overdue invoices (it used to fill page 1); 1 and 2: two each; 3: none.
    const owner = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2];
    await makeInvoices(t.db, a.org.id, ids, owner.length, (i) => ({
      customer_id: ids[owner[i] as number],
      gross_minor: 10_000 * (i + 1),
      issue_date: '2025-12-01',
      due_date: '2026-01-01',
    }));
    await t.db
      .insertInto('tasks')
      .values([
        {
          org_id: a.org.id,
          customer_id: ids[3] as string,
          kind: 'call',
          title: 'Rappeler',
          due_date: '2026-03-10',
        },
        {
          org_id: a.org.id,
          customer_id: ids[1] as string,
          kind: 'follow_up',
          title: 'Vérifier le virement',
          due_date: '2026-03-14',
          assignee: userId,
        },
      ])
      .execute();
    await t.db
      .insertInto('dunning_actions')
      .values({
        org_id: a.org.id,
        idempotency_key: 'approval-test-0001',
        channel: 'email',
        customer_id: ids[2] as string,
        policy_id: crypto.randomUUID(),
        policy_key: 'standard',
        policy_version: 1,
        step_key: 'reminder-1',
        kind: 'send',
        items: JSON.stringify([]),
        reason: 'due',
        planned_for: '2026-03-15',
        status: 'awaiting_approval',
      })
      .execute();
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const get = async (url: string) =>
    (await app.inject({ method: 'GET', url, headers: a.auth })).json() as GroupPage;

  it('gives one row per customer with its items folded in and the total at stake', async () => {
    const page = await get('/api/v1/worklist/customers?limit=10');
    expect(page.items.map((g) => g.customer.id).sort()).toEqual([...ids].sort());
    const big = page.items.find((g) => g.customer.id === ids[0]);
    expect(big?.items).toBe(10);
    expect(big?.entries).toHaveLength(10);
    // 10 000 + 20 000 + … + 100 000 cents.
    expect(big?.atStake).toEqual([expect.objectContaining({ amount: 550_000, currency: 'EUR' })]);
    expect(big?.maxDaysLate).toBe(73);
    const withTask = page.items.find((g) => g.customer.id === ids[1]);
    expect(withTask?.tasks).toBe(1);
    expect(withTask?.items).toBe(2);
    // Tasks rank before items: the two customers with a due task come first, oldest task first.
    expect(page.items.slice(0, 2).map((g) => g.customer.id)).toEqual([ids[3], ids[1]]);
    expect(page.items.find((g) => g.customer.id === ids[2])?.pendingSends).toBe(1);
  });

  it('pages customers with a cursor, each exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p: GroupPage = await get(
        `/api/v1/worklist/customers?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(p.items.length).toBeLessThanOrEqual(1);
      seen.push(...p.items.map((g) => g.customer.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
  });

  it('folds only my rows when asked for my work', async () => {
    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/worklist/customers?assignee=${userId}`,
      headers: a.auth,
    });
    const page = mine.json() as GroupPage;
    expect(page.items.map((g) => g.customer.id)).toEqual([ids[1]]);
    expect(page.items[0]?.entries.map((e) => e.type)).toEqual(['task']);
    expect(page.items[0]?.atStake).toEqual([]);
  });
});
