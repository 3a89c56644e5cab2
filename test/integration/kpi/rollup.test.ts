import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { topOverdueCustomers } from '../../../src/db/queries/kpi.js';
import { foldKpiDeltas } from '../../../src/db/queries/kpi-fold.js';
import type { Database } from '../../../src/db/schema/index.js';
import { Rng } from '../../../src/demo/prng.js';
import { addDays } from '../../../src/domain/calendar/index.js';
import { topOverdueInCurrency } from '../../../src/services/kpi/top-overdue-customers.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { CUSTOMERS, csv, newOrg, run } from '../imports/helpers.js';
import { maintainedRollups, rollupsFromLedger } from './rollup-helpers.js';

const TODAY = '2026-03-15';

async function expectRollupsExact(t: TestDb, orgIds: string[], step: string) {
  for (const orgId of orgIds) {
    const expected = await rollupsFromLedger(t.db, orgId);
    const got = await withOrg(t.db, orgId, (trx) => maintainedRollups(trx, orgId));
    expect(got, `${step} (${orgId})`).toEqual(expected);
  }
}

describeEngines('dashboard rollups kept by triggers equal the ledger', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('through imports, re-imports, payments, credit notes and a rolled-back write', async () => {
    const orgs = [await newOrg(t), await newOrg(t)];
    const [a] = orgs as [string, string];
    const invoices = (rows: string[]) =>
      csv(['invoice,customer code,issue date,due date,gross,currency,amount paid', ...rows]);
    for (const org of orgs) {
      await run(t, org, 'customers', CUSTOMERS);
      await run(
        t,
        org,
        'invoices',
        invoices([
          'I-1,C001,2026-01-01,2026-01-31,100.00,EUR,',
          'I-2,C001,2026-01-01,2026-03-31,200.00,EUR,50',
          'I-3,C002,2026-02-01,2026-03-01,300.00,GBP,',
          'I-4,C003,2026-02-10,2026-04-10,80.00,GBP,80',
          'I-5,C003,2025-11-02,2025-12-02,45.50,EUR,',
        ]),
      );
    }
    // Only organisation a sees the rest: the other one's rollups must not move.
    await expectRollupsExact(t, orgs, 'first import');
    await run(
      t,
      a,
      'payments',
      csv([
        'Référence;Code client;Date de paiement;Montant;Factures',
        'PAY-1;C001;2026-02-01;150,00;I-1, I-2',
      ]),
    );
    await run(
      t,
      a,
      'credit-notes',
      csv(['N° avoir;Code client;Facture;Date;Montant TTC;Motif', 'AV-1;C003;I-5;2026-02-10;20,00;remise']),
    );
    await expectRollupsExact(t, orgs, 'payments and credit notes');
    // Re-import: new due date, new amount, another currency, and an opening payment removed.
    await run(
      t,
      a,
      'invoices',
      invoices([
        'I-1,C001,2026-01-01,2026-02-28,120.00,EUR,',
        'I-2,C001,2026-01-01,2026-03-31,200.00,EUR,0',
        'I-3,C002,2026-02-01,2026-03-01,300.00,EUR,',
      ]),
    );
    await expectRollupsExact(t, orgs, 're-import');
    // A payment whose amount changes is re-allocated (its allocations deleted first).
    await run(
      t,
      a,
      'payments',
      csv(['Référence;Code client;Date de paiement;Montant;Factures', 'PAY-1;C001;2026-02-03;20,00;I-1']),
    );
    await expectRollupsExact(t, orgs, 'payment re-import');
    const before = await maintainedRollups(t.db, a);
    await expect(
      withOrg(t.db, a, async (trx) => {
        await sql`update invoices set written_off_minor = balance_minor where org_id = ${a} and balance_minor > 0`.execute(
          trx,
        );
        await refreshBalances(trx, a, { all: true });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await maintainedRollups(t.db, a)).toEqual(before);
    expect(before.daily.length).toBeGreaterThan(0);
  });

  it('through random writes in two organisations and two currencies (property)', async () => {
    const rng = new Rng(17);
    const orgs: { id: string; customers: string[] }[] = [];
    for (let o = 0; o < 2; o++) {
      const id = await newOrg(t);
      const made = await t.db
        .insertInto('customers')
        .values(
          Array.from({ length: 6 }, (_, i) => ({ org_id: id, external_ref: `R${i}`, name: `Random ${i}` })),
        )
        .returning('id')
        .execute();
      orgs.push({ id, customers: made.map((c) => c.id) });
    }
    const ids = orgs.map((o) => o.id);
    const currencies = ['EUR', 'GBP'] as const;
    const day = () => addDays('2025-10-01', rng.int(0, 200));
    let n = 0;
    const ops: Record<string, (trx: Kysely<Database>, orgId: string, customers: string[]) => Promise<void>> =
      {
        async invoices(trx, orgId, customers) {
          const rows = Array.from({ length: rng.int(1, 8) }, () => {
            const issue = day();
            const gross = rng.int(0, 50_000);
            return {
              org_id: orgId,
              customer_id: rng.pick(customers),
              invoice_number: `RI-${++n}`,
              issue_date: issue,
              due_date: addDays(issue, rng.int(0, 60)),
              currency: rng.pick(currencies),
              gross_minor: gross,
              balance_minor: gross,
            };
          });
          await trx.insertInto('invoices').values(rows).execute();
        },
        async pay(trx, orgId) {
          const inv = await pickInvoice(trx, orgId, 'balance_minor > 0');
          if (!inv) return;
          const amount = rng.chance(0.5) ? inv.balance_minor : rng.int(1, inv.balance_minor);
          const p = await trx
            .insertInto('payments')
            .values({
              org_id: orgId,
              customer_id: inv.customer_id,
              payment_reference: `RP-${++n}`,
              received_on: day(),
              currency: inv.currency,
              amount_minor: amount + (rng.chance(0.2) ? rng.int(1, 500) : 0),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('allocations')
            .values({ org_id: orgId, invoice_id: inv.id, payment_id: p.id, amount_minor: amount })
            .execute();
          await refreshBalances(trx, orgId, { invoiceIds: [inv.id] });
        },
        async credit(trx, orgId) {
          const inv = await pickInvoice(trx, orgId, 'balance_minor > 0');
          if (!inv) return;
          const amount = rng.int(1, inv.balance_minor);
          const c = await trx
            .insertInto('credit_notes')
            .values({
              org_id: orgId,
              customer_id: inv.customer_id,
              credit_note_number: `RC-${++n}`,
              invoice_id: inv.id,
              issue_date: day(),
              currency: inv.currency,
              gross_minor: amount,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('allocations')
            .values({ org_id: orgId, invoice_id: inv.id, credit_note_id: c.id, amount_minor: amount })
            .execute();
          await refreshBalances(trx, orgId, { invoiceIds: [inv.id] });
        },
        async writeOff(trx, orgId) {
          const inv = await pickInvoice(trx, orgId, 'balance_minor > 0');
          if (!inv) return;
          await sql`update invoices set written_off_minor = ${rng.int(1, inv.balance_minor)}
          where org_id = ${orgId} and id = ${inv.id}`.execute(trx);
          await refreshBalances(trx, orgId, { invoiceIds: [inv.id] });
        },
        async deletePayment(trx, orgId) {
          const p = await sql<{ id: string; customer_id: string }>`
          select id, customer_id from payments where org_id = ${orgId} order by id limit 1
          offset ${rng.int(0, 3)}`.execute(trx);
          const row = p.rows[0];
          if (!row) return;
          await sql`delete from payments where org_id = ${orgId} and id = ${row.id}`.execute(trx);
          await refreshBalances(trx, orgId, { customerIds: [row.customer_id] });
        },
        async deleteInvoice(trx, orgId) {
          const inv = await pickInvoice(trx, orgId, 'true');
          if (!inv) return;
          await sql`delete from credit_notes where org_id = ${orgId} and invoice_id = ${inv.id}`.execute(trx);
          await sql`delete from invoices where org_id = ${orgId} and id = ${inv.id}`.execute(trx);
          await refreshBalances(trx, orgId, { customerIds: [inv.customer_id] });
        },
        async updateInvoice(trx, orgId, customers) {
          const inv = await pickInvoice(trx, orgId, 'true');
          if (!inv) return;
          const issue = day();
          // Several invoices at once, as a re-import does: one statement, many rows.
          await sql`update invoices set issue_date = ${issue}, due_date = ${addDays(issue, rng.int(0, 90))},
            gross_minor = gross_minor + ${rng.int(0, 10_000)}, customer_id = ${rng.pick(customers)},
            currency = ${rng.pick(currencies)}
          where org_id = ${orgId} and (id = ${inv.id} or customer_id = ${inv.customer_id})`.execute(trx);
          await refreshBalances(trx, orgId, { all: true });
        },
        async updatePayment(trx, orgId) {
          await sql`update payments set received_on = received_on + ${rng.int(-20, 20)}::int,
            amount_minor = amount_minor + ${rng.int(0, 300)}
          where org_id = ${orgId} and id in (select id from payments where org_id = ${orgId} order by id limit 2)`.execute(
            trx,
          );
        },
        async noMeasureChange(trx, orgId) {
          await sql`update invoices set assigned_collector = ${`c${rng.int(1, 3)}`}, disputed = not disputed
          where org_id = ${orgId}`.execute(trx);
          await refreshBalances(trx, orgId, { all: true });
        },
      };
    async function pickInvoice(trx: Kysely<Database>, orgId: string, where: string) {
      const r = await sql<{ id: string; customer_id: string; currency: string; balance_minor: number }>`
        select id, customer_id, currency, balance_minor from invoices
        where org_id = ${orgId} and ${sql.raw(where)} order by id offset ${rng.int(0, 5)} limit 1`.execute(
        trx,
      );
      return r.rows[0];
    }
    const names = Object.keys(ops);
    for (let i = 0; i < 60; i++) {
      const org = rng.pick(orgs);
      const name = i < 4 ? 'invoices' : rng.pick(names);
      const op = ops[name];
      if (!op) throw new Error(`no op ${name}`);
      const rollBack = rng.chance(0.1);
      // As the application writes: inside withOrg, under row-level security.
      const write = withOrg(t.db, org.id, async (trx) => {
        await op(trx, org.id, org.customers);
        if (rollBack) throw new Error('roll back');
      });
      if (rollBack) await expect(write).rejects.toThrow('roll back');
      else await write;
      await expectRollupsExact(t, ids, `op ${i} ${name}${rollBack ? ' rolled back' : ''}`);
    }
    const totals = await rollupsFromLedger(t.db, orgs[0]?.id ?? '');
    expect(new Set(totals.daily.map((d) => d.currency))).toEqual(new Set(currencies));
  });

  it('ranks the top overdue customers from the rollup like a scan of every open invoice', async () => {
    const org = await newOrg(t);
    const made = await t.db
      .insertInto('customers')
      .values(
        Array.from({ length: 30 }, (_, i) => ({ org_id: org, external_ref: `T${i}`, name: `Top ${i}` })),
      )
      .returning('id')
      .execute();
    const rng = new Rng(5);
    await t.db
      .insertInto('invoices')
      .values(
        Array.from({ length: 200 }, (_, i) => {
          const issue = addDays('2025-12-01', rng.int(0, 120));
          // Round amounts so that several customers tie.
          const gross = rng.int(1, 6) * 10_000;
          return {
            org_id: org,
            customer_id: rng.pick(made).id,
            invoice_number: `T-${i}`,
            issue_date: issue,
            due_date: addDays(issue, 30),
            currency: i % 3 === 0 ? 'GBP' : 'EUR',
            gross_minor: gross,
            balance_minor: gross,
          };
        }),
      )
      .execute();
    await withOrg(t.db, org, async (trx) => {
      await foldKpiDeltas(trx, org);
      const ledger = await topOverdueCustomers(trx, org, TODAY, 10);
      for (const currency of ['EUR', 'GBP']) {
        const expected = ledger.filter((r) => r.currency === currency);
        expect(expected.length).toBe(10);
        // One candidate per round walks the threshold; two rounds force the fallback scan.
        for (const opts of [{}, { page: 1 }, { page: 1, maxRounds: 2 }, { page: 3 }]) {
          expect(
            await topOverdueInCurrency(trx, org, currency, TODAY, 10, opts),
            JSON.stringify(opts),
          ).toEqual(expected);
        }
      }
    });
  });
});
