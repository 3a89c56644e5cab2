import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { appendEvidenceEntry } from '../../../src/db/queries/evidence.js';
import { createUser } from '../../../src/services/auth/create-user.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import {
  keyFor,
  makeCustomers,
  makeInvoices,
  type OrgFixture,
  orgWithKey,
  testServer,
} from '../api/factories.js';

interface OverviewItem {
  id: string;
  name: string;
  balanceDue: { amount: number };
  overdue: { amount: number };
  daysOverdue: number;
  oldestOverdueDate: string | null;
  collector: { id: string; name: string } | null;
  lastAction: { kind: string; channel: string | null } | null;
  nextAction: { date: string; kind: string } | null;
  markers: { openDisputes: number; activePromise: boolean; activePlan: boolean; creditHold: boolean };
}
interface OverviewPage {
  items: OverviewItem[];
  nextCursor: string | null;
}

describeEngines('customers page, global search and portal link over HTTP', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let other: OrgFixture;
  let ids: string[] = [];
  let userId = '';

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Grossiste Lumière SA');
    other = await orgWithKey(t.db, 'Autre Maison SARL');
    const user = await createUser(t.db, a.org.id, {
      email: 'claire.martin@example.fr',
      name: 'Claire Martin',
      password: 'correct horse battery',
      role: 'collector',
    });
    userId = user.id;
    // Five customers: 0 owes two overdue invoices, 1 one overdue, 2 one not due, 3 and 4 nothing.
    const cs = await makeCustomers(t.db, a.org.id, 5, (i) => ({
      name: ['Boulangerie Dupont', 'Garage Morel', 'Atelier Lefèvre', 'Café du Port', 'Dupontel Frères'][i],
      external_ref: `CLI-${i + 1}`,
      assigned_collector: i === 0 ? user.id : null,
      credit_hold: i === 1,
    }));
    ids = cs.map((c) => c.id);
    const c = (i: number) => ids[i] as string;
    const invs = await makeInvoices(t.db, a.org.id, [c(0), c(0), c(1), c(2)], 4, (i) => ({
      invoice_number: `FA-2026-${100 + i}`,
      gross_minor: [120_000, 30_000, 50_000, 70_000][i],
      issue_date: ['2025-12-01', '2026-01-10', '2026-02-01', '2026-03-01'][i],
      due_date: ['2026-01-01', '2026-02-10', '2026-03-01', '2026-04-01'][i],
    }));
    await t.db
      .insertInto('contacts')
      .values({ org_id: a.org.id, customer_id: c(3), email: 'compta@cafeduport.fr', is_primary: true })
      .execute();
    await t.db
      .insertInto('disputes')
      .values({
        org_id: a.org.id,
        customer_id: c(0),
        invoice_id: invs.find((i) => i.invoice_number === 'FA-2026-101')?.id as string,
        reason_code: 'quality',
      })
      .execute();
    await t.db
      .insertInto('promises_to_pay')
      .values({
        org_id: a.org.id,
        customer_id: c(1),
        amount_minor: 50_000,
        currency: 'EUR',
        promised_date: '2026-03-20',
      })
      .execute();
    await t.db
      .insertInto('tasks')
      .values({
        org_id: a.org.id,
        customer_id: c(1),
        kind: 'call',
        title: 'Rappeler',
        due_date: '2026-03-18',
      })
      .execute();
    await withOrg(t.db, a.org.id, (trx) =>
      appendEvidenceEntry(trx, a.org.id, {
        customerId: c(0),
        kind: 'note',
        channel: 'phone',
        summary: 'Called',
        payload: {},
        contentSha256: null,
      }),
    );
    // Another organisation's namesake must never appear.
    await makeCustomers(t.db, other.org.id, 1, () => ({ name: 'Boulangerie Dupont (autre)' }));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const get = async (url: string, auth = a.auth) => app.inject({ method: 'GET', url, headers: auth });

  it('lists customers most overdue first with oldest overdue, collector, last and next action and markers', async () => {
    const res = await get('/api/v1/customers/overview');
    expect(res.statusCode).toBe(200);
    const page = res.json() as OverviewPage;
    expect(page.items.map((i) => i.name).slice(0, 2)).toEqual(['Boulangerie Dupont', 'Garage Morel']);
    const [first, second] = page.items;
    expect(first?.balanceDue.amount).toBe(150_000);
    expect(first?.overdue.amount).toBe(150_000);
    expect(first?.oldestOverdueDate).toBe('2026-01-01');
    expect(first?.daysOverdue).toBe(73);
    expect(first?.collector).toEqual({ id: userId, name: 'Claire Martin' });
    expect(first?.lastAction).toEqual(expect.objectContaining({ kind: 'note', channel: 'phone' }));
    expect(first?.markers.openDisputes).toBe(1);
    expect(second?.markers).toEqual({
      openDisputes: 0,
      activePromise: true,
      activePlan: false,
      creditHold: true,
    });
    expect(second?.nextAction).toEqual({ date: '2026-03-18', kind: 'task_call' });
    expect(page.items).toHaveLength(5);
  });

  it('filters by search text (name, reference, contact email), collector, overdue and marker', async () => {
    const names = async (qs: string) =>
      ((await get(`/api/v1/customers/overview?${qs}`)).json() as OverviewPage).items
        .map((i) => i.name)
        .sort();
    expect(await names('q=dupont')).toEqual(['Boulangerie Dupont', 'Dupontel Frères']);
    expect(await names('q=cafeduport')).toEqual(['Café du Port']);
    expect(await names('q=CLI-2')).toEqual(['Garage Morel']);
    expect(await names(`collector=${userId}`)).toEqual(['Boulangerie Dupont']);
    expect((await names('collector=unassigned')).length).toBe(4);
    expect(await names('hasOverdue=true')).toEqual(['Boulangerie Dupont', 'Garage Morel']);
    expect(await names('marker=promise')).toEqual(['Garage Morel']);
    expect(await names('marker=dispute')).toEqual(['Boulangerie Dupont']);
    expect(await names('marker=hold')).toEqual(['Garage Morel']);
  });

  it('pages with a keyset cursor in every sort without losing or repeating a customer', async () => {
    for (const sort of ['name', '-balanceDue', 'daysOverdue', 'nextActionDate', '-overdue']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/customers/overview?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await get(url);
        expect(res.statusCode, url).toBe(200);
        const page = res.json() as OverviewPage;
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.length, sort).toBe(5);
      expect(new Set(seen).size, sort).toBe(5);
    }
    const byName = ((await get('/api/v1/customers/overview?sort=name')).json() as OverviewPage).items;
    expect(byName.map((i) => i.name)).toEqual(
      [...byName.map((i) => i.name)].sort((x, y) => x.localeCompare(y)),
    );
  });

  it('refuses an unknown sort and a cursor of another sort, naming the field', async () => {
    const bad = await get('/api/v1/customers/overview?sort=color');
    expect(bad.statusCode).toBe(400);
    const first = (await get('/api/v1/customers/overview?sort=name&limit=1')).json() as OverviewPage;
    const mixed = await get(`/api/v1/customers/overview?sort=-overdue&limit=1&cursor=${first.nextCursor}`);
    expect(mixed.statusCode).toBe(400);
    expect(JSON.stringify(mixed.json())).toContain('cursor');
  });

  it('searches customers, invoice numbers and contact emails, only in the caller’s organisation', async () => {
    const res = await get('/api/v1/search?q=dupont');
    expect(res.statusCode).toBe(200);
    const hits = (res.json() as { items: { kind: string; label: string; customerId: string }[] }).items;
    expect(hits.map((h) => `${h.kind}:${h.label}`).sort()).toEqual([
      'customer:Boulangerie Dupont',
      'customer:Dupontel Frères',
    ]);
    const inv = (await get('/api/v1/search?q=FA-2026-102')).json() as {
      items: { kind: string; customerId: string }[];
    };
    expect(inv.items).toEqual([expect.objectContaining({ kind: 'invoice', customerId: ids[1] })]);
    const mail = (await get('/api/v1/search?q=compta@')).json() as {
      items: { kind: string; customerId: string }[];
    };
    expect(mail.items).toEqual([expect.objectContaining({ kind: 'contact', customerId: ids[3] })]);
    const short = await get('/api/v1/search?q=d');
    expect(short.statusCode).toBe(400);
    expect(JSON.stringify(short.json())).toContain('q');
  });

  it('issues a portal link for a customer of the organisation and refuses one of another', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${ids[0]}/portal-link`,
      headers: a.auth,
      payload: {},
    });
    expect(res.statusCode).toBe(201);
    const body = res.json() as { url: string; expiresAt: string };
    expect(body.url).toMatch(/^http:\/\/localhost(:\d+)?\/portal/);
    const links = await t.db
      .selectFrom('portal_links')
      .select('customer_id')
      .where('org_id', '=', a.org.id)
      .execute();
    expect(links.map((l) => l.customer_id)).toEqual([ids[0]]);
    const foreign = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${ids[0]}/portal-link`,
      headers: other.auth,
      payload: {},
    });
    expect(foreign.statusCode).toBe(404);
    const viewer = { authorization: `Bearer ${await keyFor(t.db, a.org.id, 'viewer')}` };
    const refused = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${ids[0]}/portal-link`,
      headers: viewer,
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
  });
  it('searches invoices by number or customer and totals the whole filtered set', async () => {
    const byCustomer = (await get('/api/v1/invoices?q=boulangerie')).json() as {
      items: { invoiceNumber: string }[];
    };
    expect(byCustomer.items.map((i) => i.invoiceNumber).sort()).toEqual(['FA-2026-100', 'FA-2026-101']);
    const totals = (await get('/api/v1/invoices/totals?overdue=true')).json() as {
      currencies: {
        currency: string;
        invoices: number;
        gross: { amount: number };
        balanceDue: { amount: number };
      }[];
    };
    // FA-100, FA-101 (Dupont) and FA-102 (Morel) are past due on 2026-03-15; FA-103 is not.
    expect(totals.currencies).toEqual([
      expect.objectContaining({
        currency: 'EUR',
        invoices: 3,
        gross: expect.objectContaining({ amount: 200_000 }),
      }),
    ]);
    const one = (await get('/api/v1/invoices/totals?q=FA-2026-103')).json() as {
      currencies: { invoices: number; overdue: { amount: number } }[];
    };
    expect(one.currencies).toEqual([
      expect.objectContaining({ invoices: 1, overdue: expect.objectContaining({ amount: 0 }) }),
    ]);
    const bad = await get('/api/v1/invoices/totals?overdue=maybe');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('overdue');
  });
});
