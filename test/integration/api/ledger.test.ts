import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../src/domain/calendar/index.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import {
  makeCustomers,
  makeInvoices,
  makePayment,
  type OrgFixture,
  orgWithKey,
  TODAY,
  testServer,
} from './factories.js';

interface InvoiceJson {
  id: string;
  invoiceNumber: string;
  dueDate: string;
  issueDate: string;
  status: string;
  daysOverdue: number;
  balanceDue: { amount: number; currency: string; decimal: string };
  customer: { id: string };
}

describeEngines('API ledger: lists, filters, cursor pagination', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let customers: { id: string; name: string }[];
  let invoices: {
    id: string;
    invoice_number: string;
    due_date: string;
    balance_minor: number;
    customer_id: string;
  }[];

  async function get<T = unknown>(url: string): Promise<T> {
    const r = await app.inject({ method: 'GET', url, headers: a.auth });
    if (r.statusCode !== 200) throw new Error(`${url} → ${r.statusCode} ${r.body}`);
    return r.json() as T;
  }

  /** Walk every page of a list and return all items in order. */
  async function walk<T>(base: string, limit: number, from?: string): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let cursor: string | null = from ?? null;
    let pages = 0;
    do {
      const sep = base.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } = await get(
        `${base}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
      if (pages > 1000) throw new Error('pagination does not end');
    } while (cursor);
    return { items, pages };
  }

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Alpha SAS');
    customers = await makeCustomers(t.db, a.org.id, 3, (i) =>
      i === 0
        ? { segment: 'strategic', assigned_collector: 'marie', name: 'Boulangerie Martin' }
        : i === 1
          ? { kind: 'b2c', name: 'Jean Dupont' }
          : { name: 'Zinc & Co' },
    );
    await makeInvoices(
      t.db,
      a.org.id,
      customers.map((c) => c.id),
      120,
    );
    const all = await t.db
      .selectFrom('invoices')
      .selectAll()
      .where('org_id', '=', a.org.id)
      .orderBy('invoice_number')
      .execute();
    const [i1, i2] = all;
    if (!i1 || !i2) throw new Error('no invoices');
    // One partly paid, one paid in full (same customer so one payment covers both).
    await makePayment(t.db, a.org.id, i1.customer_id, 4_000, { [i1.id]: 4_000 }, 'PAY-A');
    await makePayment(
      t.db,
      a.org.id,
      i2.customer_id,
      i2.gross_minor + 500,
      { [i2.id]: i2.gross_minor },
      'PAY-B',
    );
    invoices = await t.db
      .selectFrom('invoices')
      .select(['id', 'invoice_number', 'due_date', 'balance_minor', 'customer_id'])
      .where('org_id', '=', a.org.id)
      .execute();
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const expectedDaysOverdue = (due: string, balance: number) =>
    balance > 0 && due < TODAY ? daysBetween(due, TODAY) : 0;

  it('computes balance due and days overdue on the organisation’s today', async () => {
    const { items } = await walk<InvoiceJson>('/api/v1/invoices', 500);
    expect(items).toHaveLength(120);
    for (const inv of items) {
      const row = invoices.find((i) => i.id === inv.id);
      expect(row).toBeDefined();
      if (!row) continue;
      expect(inv.balanceDue.amount).toBe(row.balance_minor);
      expect(inv.daysOverdue).toBe(expectedDaysOverdue(row.due_date, row.balance_minor));
    }
    expect(items.some((i) => i.daysOverdue > 0)).toBe(true);
    const paid = items.find((i) => i.status === 'paid');
    expect(paid?.balanceDue).toEqual({ amount: 0, currency: 'EUR', decimal: '0.00' });
    const partial = items.find((i) => i.status === 'partially_paid');
    const partialRow = invoices.find((i) => i.id === partial?.id);
    expect(partial?.balanceDue.decimal).toBe(((partialRow?.balance_minor ?? 0) / 100).toFixed(2));
  });

  it('uses asOf instead of today when given', async () => {
    const { items } = await walk<InvoiceJson>('/api/v1/invoices?asOf=2026-01-01', 500);
    expect(items.every((i) => i.daysOverdue === 0)).toBe(true);
    const later = await walk<InvoiceJson>('/api/v1/invoices?asOf=2026-06-30&overdue=true', 500);
    expect(later.items).toHaveLength(invoices.filter((i) => i.balance_minor > 0).length);
  });

  it("judges overdue on the organisation's calendar day, not UTC's", async () => {
    // 23:30 UTC on 15 March is already 16 March in Paris.
    const late = await testServer(t, new Date('2026-03-15T23:30:00Z'));
    try {
      const due15 = invoices.find((i) => i.due_date === '2026-03-15' && i.balance_minor > 0);
      expect(due15).toBeDefined();
      const r = await late.inject({ url: `/api/v1/invoices/${due15?.id}`, headers: a.auth });
      expect(r.json().daysOverdue).toBe(1);
      expect(r.json().asOf).toBe('2026-03-16');
    } finally {
      await late.close();
    }
  });

  const sorts: [string, (i: InvoiceJson) => string | number][] = [
    ['dueDate', (i) => i.dueDate],
    ['-dueDate', (i) => i.dueDate],
    ['issueDate', (i) => i.issueDate],
    ['balanceDue', (i) => i.balanceDue.amount],
    ['-balanceDue', (i) => i.balanceDue.amount],
    ['daysOverdue', (i) => i.daysOverdue],
    ['-daysOverdue', (i) => i.daysOverdue],
    ['invoiceNumber', (i) => i.invoiceNumber],
    ['-invoiceNumber', (i) => i.invoiceNumber],
  ];
  for (const [sort, key] of sorts) {
    it(`walks 120 invoices sorted by ${sort} in pages without duplicates or gaps`, async () => {
      const { items, pages } = await walk<InvoiceJson>(`/api/v1/invoices?sort=${sort}`, 7);
      expect(pages).toBe(Math.ceil(120 / 7));
      expect(new Set(items.map((i) => i.id)).size).toBe(120);
      expect(new Set(items.map((i) => i.id))).toEqual(new Set(invoices.map((i) => i.id)));
      const desc = sort.startsWith('-');
      for (let k = 1; k < items.length; k++) {
        const prev = items[k - 1] as InvoiceJson;
        const cur = items[k] as InvoiceJson;
        const [p, c] = [key(prev), key(cur)];
        if (p === c) expect(desc ? prev.id > cur.id : prev.id < cur.id).toBe(true);
        else expect(desc ? p > c : p < c).toBe(true);
      }
    });
  }

  it('keeps walking correctly when rows are inserted between pages', async () => {
    const first: { items: InvoiceJson[]; nextCursor: string } = await get(
      '/api/v1/invoices?sort=dueDate&limit=50',
    );
    // A row sorting before the cursor and one after it arrive mid-walk.
    const inserted = await makeInvoices(t.db, a.org.id, [customers[0]?.id as string], 2, (i) => ({
      invoice_number: `LATE-${i}`,
      issue_date: i === 0 ? '2025-12-01' : '2026-12-01',
      due_date: i === 0 ? '2025-12-31' : '2026-12-31',
    }));
    try {
      const rest = await walk<InvoiceJson>('/api/v1/invoices?sort=dueDate', 50, first.nextCursor);
      const ids = [...first.items, ...rest.items].map((i) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const inv of invoices) expect(ids).toContain(inv.id);
      expect(ids).toContain(inserted.find((i) => i.invoice_number === 'LATE-1')?.id);
      expect(ids).not.toContain(inserted.find((i) => i.invoice_number === 'LATE-0')?.id);
    } finally {
      await t.db
        .deleteFrom('invoices')
        .where('org_id', '=', a.org.id)
        .where('invoice_number', 'like', 'LATE-%')
        .execute();
    }
  });

  it('filters invoices by status, overdue, balance, due dates, customer and number', async () => {
    const ids = async (q: string) =>
      (await walk<InvoiceJson>(`/api/v1/invoices?${q}`, 500)).items.map((i) => i.id).sort();
    const expectIds = (pred: (i: (typeof invoices)[number]) => boolean) =>
      invoices
        .filter(pred)
        .map((i) => i.id)
        .sort();

    expect(await ids('status=paid')).toHaveLength(1);
    expect(await ids('status=partially_paid&status=paid')).toHaveLength(2);
    expect(await ids('status=open,partially_paid')).toEqual(expectIds((i) => i.balance_minor > 0));
    const overdue = expectIds((i) => i.balance_minor > 0 && i.due_date < TODAY);
    expect(overdue.length).toBeGreaterThan(10);
    expect(await ids('overdue=true')).toEqual(overdue);
    expect(await ids('overdue=false')).toEqual(
      expectIds((i) => !(i.balance_minor > 0 && i.due_date < TODAY)),
    );
    expect(await ids('minBalance=30000&maxBalance=40000')).toEqual(
      expectIds((i) => i.balance_minor >= 30_000 && i.balance_minor <= 40_000),
    );
    expect(await ids('dueAfter=2026-02-10&dueBefore=2026-02-20')).toEqual(
      expectIds((i) => i.due_date >= '2026-02-10' && i.due_date <= '2026-02-20'),
    );
    const c = customers[1]?.id as string;
    expect(await ids(`customerId=${c}`)).toEqual(expectIds((i) => i.customer_id === c));
    expect(await ids('q=F2026-0001')).toEqual(expectIds((i) => i.invoice_number.includes('F2026-0001')));
    expect(await ids('currency=usd')).toEqual([]);
  });

  it('names the bad value of a multi-valued filter', async () => {
    const r = await app.inject({ url: '/api/v1/invoices?status=open,unpaid', headers: a.auth });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toMatch(/^status/);
  });

  it('returns an invoice with its allocations and a payment with its allocations', async () => {
    const paid = invoices.find((i) => i.balance_minor === 0);
    const inv = await get<{
      allocations: { amount: { amount: number }; payment: { paymentReference: string } }[];
      status: string;
    }>(`/api/v1/invoices/${paid?.id}`);
    expect(inv.status).toBe('paid');
    expect(inv.allocations).toHaveLength(1);
    expect(inv.allocations[0]?.payment.paymentReference).toBe('PAY-B');
    const pays = await get<{
      items: { id: string; paymentReference: string; unallocated: { amount: number } }[];
    }>('/api/v1/payments?unallocated=true');
    expect(pays.items.map((p) => p.paymentReference)).toEqual(['PAY-B']);
    expect(pays.items[0]?.unallocated.amount).toBe(500);
    const detail = await get<{ allocations: { invoiceId: string }[] }>(
      `/api/v1/payments/${pays.items[0]?.id}`,
    );
    expect(detail.allocations.map((x) => x.invoiceId)).toEqual([paid?.id]);
  });

  it('lists customers with balances, filters and every sort', async () => {
    const due = new Map<string, number>();
    const overdueBy = new Map<string, number>();
    for (const i of invoices) {
      if (i.balance_minor <= 0) continue;
      due.set(i.customer_id, (due.get(i.customer_id) ?? 0) + i.balance_minor);
      if (i.due_date < TODAY)
        overdueBy.set(i.customer_id, (overdueBy.get(i.customer_id) ?? 0) + i.balance_minor);
    }
    const byBalance = await get<{
      items: { id: string; balanceDue: { amount: number }; overdue: { amount: number } }[];
    }>('/api/v1/customers?sort=-balanceDue');
    expect(byBalance.items.map((c) => c.balanceDue.amount)).toEqual(
      [...customers.map((c) => due.get(c.id) ?? 0)].sort((x, y) => y - x),
    );
    for (const c of byBalance.items) expect(c.overdue.amount).toBe(overdueBy.get(c.id) ?? 0);
    const names = await get<{ items: { name: string }[] }>('/api/v1/customers?sort=name');
    expect(names.items.map((c) => c.name)).toEqual(['Boulangerie Martin', 'Jean Dupont', 'Zinc & Co']);
    const byRef = await walk<{ externalRef: string }>('/api/v1/customers?sort=-externalRef', 1);
    expect(byRef.items.map((c) => c.externalRef)).toEqual(['C00003', 'C00002', 'C00001']);
    const byCreated = await walk<{ id: string }>('/api/v1/customers?sort=createdAt', 2);
    expect(byCreated.items).toHaveLength(3);
    expect((await get<{ items: unknown[] }>('/api/v1/customers?q=martin')).items).toHaveLength(1);
    expect((await get<{ items: unknown[] }>('/api/v1/customers?q=C00002')).items).toHaveLength(1);
    expect((await get<{ items: unknown[] }>('/api/v1/customers?kind=b2c')).items).toHaveLength(1);
    expect((await get<{ items: unknown[] }>('/api/v1/customers?segment=strategic')).items).toHaveLength(1);
    expect((await get<{ items: unknown[] }>('/api/v1/customers?assignedCollector=marie')).items).toHaveLength(
      1,
    );
    expect((await get<{ items: unknown[] }>('/api/v1/customers?hasOverdue=true')).items).toHaveLength(
      overdueBy.size,
    );
    expect((await get<{ items: unknown[] }>('/api/v1/customers?q=100%25')).items).toHaveLength(0);
  });

  it('returns a customer with contacts and its balance summary', async () => {
    const c = customers[0] as { id: string };
    await t.db
      .insertInto('contacts')
      .values({
        org_id: a.org.id,
        customer_id: c.id,
        name: 'Paul Martin',
        email: 'compta@martin.fr',
        is_primary: true,
      })
      .execute();
    const d = await get<{
      contacts: { email: string; isPrimary: boolean }[];
      balances: {
        currency: string;
        totalDue: { amount: number };
        overdue: { amount: number };
        unallocatedCredit: { amount: number };
      }[];
    }>(`/api/v1/customers/${c.id}`);
    expect(d.contacts).toEqual([expect.objectContaining({ email: 'compta@martin.fr', isPrimary: true })]);
    const mine = invoices.filter((i) => i.customer_id === c.id && i.balance_minor > 0);
    expect(d.balances).toHaveLength(1);
    expect(d.balances[0]?.totalDue.amount).toBe(mine.reduce((s, i) => s + i.balance_minor, 0));
    expect(d.balances[0]?.overdue.amount).toBe(
      mine.filter((i) => i.due_date < TODAY).reduce((s, i) => s + i.balance_minor, 0),
    );
    // PAY-B's 5.00 over-payment was made by the customer of the second invoice.
    const payer = invoices.find((i) => i.balance_minor === 0)?.customer_id;
    const p = await get<{ balances: { unallocatedCredit: { amount: number } }[] }>(
      `/api/v1/customers/${payer}`,
    );
    expect(p.balances[0]?.unallocatedCredit.amount).toBe(500);
  });

  it('lists credit notes linked to an invoice', async () => {
    const inv = invoices.find((i) => i.balance_minor > 1_000) as (typeof invoices)[number];
    await t.db
      .insertInto('credit_notes')
      .values({
        org_id: a.org.id,
        customer_id: inv.customer_id,
        credit_note_number: 'AV-001',
        invoice_id: inv.id,
        issue_date: addDays(TODAY, -2),
        currency: 'EUR',
        gross_minor: 1_000,
      })
      .execute();
    const list = await get<{ items: { creditNoteNumber: string; gross: { decimal: string } }[] }>(
      `/api/v1/credit-notes?invoiceId=${inv.id}`,
    );
    expect(list.items.map((c) => c.creditNoteNumber)).toEqual(['AV-001']);
    expect(list.items[0]?.gross.decimal).toBe('10.00');
    const detail = await get<{ creditNotes: { creditNoteNumber: string }[] }>(`/api/v1/invoices/${inv.id}`);
    expect(detail.creditNotes.map((c) => c.creditNoteNumber)).toEqual(['AV-001']);
  });
});
