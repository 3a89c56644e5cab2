import { afterAll, beforeAll, expect, it } from 'vitest';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { computeInvoicePenalties } from '../../../src/services/law/invoice-penalties.js';
import { computeInvoicesPenalties } from '../../../src/services/law/invoices-penalties.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const UNTIL = '2025-12-31';
const MISSING = '00000000-0000-4000-8000-000000000000';

describeEngines('penalties of many ledger invoices in one batch', (engine) => {
  let t: TestDb;
  let orgId: string;
  const ids: string[] = [];
  let writtenOff = '';

  beforeAll(async () => {
    t = await createTestDb(engine);
    orgId = (await createOrganisation(t.db, { name: 'Lot Pénalités SAS' })).id;
    const customers: Record<'b2b' | 'b2c', string> = { b2b: '', b2c: '' };
    for (const kind of ['b2b', 'b2c'] as const) {
      const c = await t.db
        .insertInto('customers')
        .values({ org_id: orgId, external_ref: `C-${kind}`, name: `Client ${kind}`, kind })
        .returning('id')
        .executeTakeFirstOrThrow();
      customers[kind] = c.id;
    }
    // 24 invoices: both debtor kinds, due dates spread over 2024–2025, every third one
    // partly paid (sometimes twice, once after UNTIL), the last one not yet due at UNTIL.
    for (let n = 0; n < 24; n++) {
      const kind = n % 2 === 0 ? 'b2b' : 'b2c';
      const month = String((n % 12) + 1).padStart(2, '0');
      const year = n < 12 ? 2024 : 2025;
      const inv = await t.db
        .insertInto('invoices')
        .values({
          org_id: orgId,
          customer_id: customers[kind],
          invoice_number: `F-${n}`,
          issue_date: `${year}-${month}-01`,
          due_date: n === 23 ? '2026-01-31' : `${year}-${month}-28`,
          currency: 'EUR',
          gross_minor: 100_000 + n * 12_345,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(inv.id);
      if (n % 3 === 0) {
        const dates = n % 6 === 0 ? ['2025-06-15', '2026-01-10'] : [`${year}-${month}-28`, '2025-11-03'];
        for (const [k, date] of dates.entries()) {
          const pay = await t.db
            .insertInto('payments')
            .values({
              org_id: orgId,
              customer_id: customers[kind],
              payment_reference: `VIR-${n}-${k}`,
              received_on: date,
              currency: 'EUR',
              amount_minor: 20_000 + n * 100,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await t.db
            .insertInto('allocations')
            .values({ org_id: orgId, invoice_id: inv.id, payment_id: pay.id, amount_minor: 20_000 + n * 100 })
            .execute();
        }
      }
    }
    await refreshBalances(t.db, orgId, { invoiceIds: ids });
    // Nothing claimed on one of them: an error for that invoice alone.
    writtenOff = ids[5] ?? '';
    await t.db
      .updateTable('invoices')
      .set({ written_off_minor: 100_000 + 5 * 12_345 })
      .where('org_id', '=', orgId)
      .where('id', '=', writtenOff)
      .execute();
  });
  afterAll(async () => t.drop());

  it('gives each invoice the statement the one-invoice computation gives, errors included', async () => {
    const asked = [...ids, MISSING];
    const batch = await computeInvoicesPenalties(t.db, orgId, asked, UNTIL);
    expect([...batch.keys()]).toEqual(asked);
    let compared = 0;
    for (const id of asked) {
      const one = await computeInvoicePenalties(t.db, orgId, id, UNTIL).then(
        (statement) => ({ ok: true as const, statement }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const many = batch.get(id);
      expect(many?.ok).toBe(one.ok);
      if (one.ok && many?.ok) expect(many.statement).toEqual(one.statement);
      if (!one.ok && many && !many.ok) expect(many.error).toEqual(one.error);
      compared++;
    }
    expect(compared).toBe(25);
    // The set really is mixed: indemnity on B2B only, one and two payments counted.
    const ok = [...batch.values()].flatMap((r) => (r.ok ? [r.statement] : []));
    // Refused alike: the written-off invoice, the unknown id, and the one not yet due at UNTIL.
    expect(ok).toHaveLength(22);
    expect(batch.get(ids[23] ?? '')?.ok).toBe(false);
    expect(ok.some((s) => s.totals.indemnityOutstanding.amount > 0)).toBe(true);
    // B2C: no 40 € indemnity (art. L441-10 C. com. is B2B only).
    expect(ok.some((s) => s.totals.indemnityOutstanding.amount === 0)).toBe(true);
    expect(ok.some((s) => s.payments.length === 1)).toBe(true);
    expect(ok.some((s) => s.payments.length === 2)).toBe(true);
    expect(batch.get(writtenOff)).toMatchObject({ ok: false, error: { code: 'UNPROCESSABLE' } });
    expect(batch.get(MISSING)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers the same with a contractual rate and the options, and nothing for no invoice', async () => {
    await t.db
      .updateTable('organisations')
      .set({ late_penalty_rate: '15' })
      .where('id', '=', orgId)
      .execute();
    const opts = { noticeDate: '2025-10-01', waiveIndemnity: true };
    const batch = await computeInvoicesPenalties(t.db, orgId, ids.slice(0, 6), UNTIL, opts);
    for (const id of ids.slice(0, 6)) {
      if (id === writtenOff) continue;
      const one = await computeInvoicePenalties(t.db, orgId, id, UNTIL, opts);
      expect(batch.get(id)).toEqual({ ok: true, statement: one });
    }
    expect((await computeInvoicesPenalties(t.db, orgId, [], UNTIL)).size).toBe(0);
  });
});
