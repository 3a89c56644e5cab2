import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportLettrage } from '../../../src/services/bank/export-lettrage.js';
import { importBankStatement } from '../../../src/services/bank/import-bank-statement.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, NOW } from '../api/factories.js';
import { repoRoot } from '../cli/spawn.js';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/bank', name));
const ACME_IBAN = 'FR7611111000010000000000185';

describeEngines('cash application: every format, re-import, short payments, credit, returns', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** An organisation where ACME owes F-2026-0001 (1,200.00) and BETA F-2026-0002 + 0003 (450.50). */
  async function ledger(settings: Record<string, unknown> = {}) {
    const org = await createOrganisation(t.db, { name: `Org ${Math.random().toString(36).slice(2, 8)}` });
    await t.db
      .updateTable('organisations')
      .set({ settings: JSON.stringify(settings) })
      .where('id', '=', org.id)
      .execute();
    const [acme, beta] = await makeCustomers(t.db, org.id, 2, (i) =>
      i === 0 ? { name: 'Acme Industrie SAS' } : { name: 'Beta Conseil' },
    );
    if (!acme || !beta) throw new Error('customers');
    const invoices = [
      ...(await makeInvoices(t.db, org.id, [acme.id], 1, () => ({
        invoice_number: 'F-2026-0001',
        gross_minor: 120_000,
      }))),
      ...(await makeInvoices(t.db, org.id, [beta.id], 2, (i) => ({
        invoice_number: `F-2026-000${i + 2}`,
        gross_minor: i === 0 ? 30_000 : 15_050,
      }))),
    ];
    const balances = async () =>
      Object.fromEntries(
        (
          await t.db
            .selectFrom('invoices')
            .select(['invoice_number', 'balance_minor', 'written_off_minor', 'status'])
            .where('org_id', '=', org.id)
            .execute()
        ).map((i) => [i.invoice_number, [Number(i.balance_minor), Number(i.written_off_minor), i.status]]),
      );
    const run = (content: Buffer, filename: string) =>
      importBankStatement(t.db, org.id, { content, filename }, { now: NOW, actor: 'test' });
    return { org, acme, beta, invoices, balances, run };
  }

  for (const file of ['relance.cfo', 'relance.mt940', 'relance.ofx', 'relance.csv']) {
    it(`imports ${file}: pays the invoices it names, ignores the fee, and a second import records nothing`, async () => {
      const l = await ledger();
      const first = await l.run(fixture(file), file);
      expect([first.matched, first.unmatched, first.ignored]).toEqual([2, 0, 1]);
      expect(first.recorded).toEqual([{ currency: 'EUR', amountMinor: 165_050 }]);
      expect(await l.balances()).toEqual({
        'F-2026-0001': [0, 0, 'paid'],
        'F-2026-0002': [0, 0, 'paid'],
        'F-2026-0003': [0, 0, 'paid'],
      });
      const stored = await t.db
        .selectFrom('bank_statement_lines')
        .select(['status', 'confidence', 'explanation', 'format'])
        .where('org_id', '=', l.org.id)
        .where('status', '=', 'matched')
        .execute();
      expect(stored).toHaveLength(2);
      for (const s of stored) {
        expect(s.confidence).toBeGreaterThanOrEqual(90);
        expect((s.explanation as { rule: string }).rule).toBe('invoice-number');
      }
      const again = await l.run(fixture(file), file);
      expect([again.matched, again.alreadyImported]).toEqual([0, 3]);
      const payments = await t.db
        .selectFrom('payments')
        .select('id')
        .where('org_id', '=', l.org.id)
        .execute();
      expect(payments).toHaveLength(2);
    });
  }

  it('closes an invoice paid short within the organisation’s tolerance and books the difference to its reason', async () => {
    const l = await ledger({
      bank: { shortPaymentToleranceMinor: 500, shortPaymentReason: 'frais bancaires' },
    });
    const csv = Buffer.from(
      'Date;Libellé;Tiers;Montant\n13/03/2026;FACT F-2026-0001;ACME INDUSTRIE;1196,50\n',
    );
    const r = await l.run(csv, 'short.csv');
    expect(r.matched).toBe(1);
    expect((await l.balances())['F-2026-0001']).toEqual([0, 350, 'written_off']);
    const adj = await t.db
      .selectFrom('bank_line_adjustments')
      .select(['kind', 'reason', 'amount_minor'])
      .where('org_id', '=', l.org.id)
      .execute();
    expect(adj.map((a) => [a.kind, a.reason, Number(a.amount_minor)])).toEqual([
      ['write_off', 'frais bancaires', 350],
    ]);
  });

  it('leaves the rest open beyond the tolerance', async () => {
    const l = await ledger({ bank: { shortPaymentToleranceMinor: 500 } });
    await l.run(Buffer.from('Date;Libellé;Montant\n13/03/2026;FACT F-2026-0001;1000,00\n'), 'partial.csv');
    expect((await l.balances())['F-2026-0001']).toEqual([20_000, 0, 'partially_paid']);
  });

  it('keeps an overpayment from the recognised payer as the customer’s credit', async () => {
    const l = await ledger();
    const r = await l.run(
      Buffer.from('Date;Libellé;Tiers;Montant\n13/03/2026;F-2026-0001;ACME INDUSTRIE SAS;1250,00\n'),
      'over.csv',
    );
    expect(r.matched).toBe(1);
    const p = await t.db
      .selectFrom('payments')
      .select(['amount_minor', 'unallocated_minor', 'customer_id'])
      .where('org_id', '=', l.org.id)
      .executeTakeFirstOrThrow();
    expect([Number(p.amount_minor), Number(p.unallocated_minor), p.customer_id]).toEqual([
      125_000,
      5_000,
      l.acme.id,
    ]);
  });

  it('undoes a returned payment: the invoice is due again, the bank fee is recorded, the collector gets a task', async () => {
    const l = await ledger();
    const paid = Buffer.from(
      `Date;Libellé;Tiers;IBAN;Référence;Montant\n10/03/2026;PRLV FACT F-2026-0001;ACME INDUSTRIE SAS;${ACME_IBAN};E2E-PRLV-1;1200,00\n`,
    );
    expect((await l.run(paid, 'debit.csv')).matched).toBe(1);
    expect((await l.balances())['F-2026-0001']).toEqual([0, 0, 'paid']);
    const returned = Buffer.from(
      `Date;Libellé;Tiers;IBAN;Référence;Montant\n14/03/2026;RETOUR PRLV MOTIF AM04;ACME INDUSTRIE SAS;${ACME_IBAN};E2E-PRLV-1;-1207,50\n`,
    );
    const r = await l.run(returned, 'return.csv');
    expect(r.returns).toBe(1);
    expect((await l.balances())['F-2026-0001']).toEqual([120_000, 0, 'open']);
    expect(await t.db.selectFrom('payments').select('id').where('org_id', '=', l.org.id).execute()).toEqual(
      [],
    );
    const lines = await t.db
      .selectFrom('bank_statement_lines')
      .select(['status', 'reverses_line_id', 'id'])
      .where('org_id', '=', l.org.id)
      .orderBy('booking_date')
      .execute();
    expect(lines.map((x) => x.status)).toEqual(['returned', 'return']);
    expect(lines[1]?.reverses_line_id).toBe(lines[0]?.id);
    const fee = await t.db
      .selectFrom('bank_line_adjustments')
      .select(['kind', 'amount_minor'])
      .where('org_id', '=', l.org.id)
      .execute();
    expect(fee.map((f) => [f.kind, Number(f.amount_minor)])).toEqual([['return_fee', 750]]);
    const tasks = await t.db
      .selectFrom('tasks')
      .select(['customer_id', 'invoice_id', 'status'])
      .where('org_id', '=', l.org.id)
      .execute();
    expect(tasks).toEqual([{ customer_id: l.acme.id, invoice_id: l.invoices[0]?.id, status: 'open' }]);
  });

  it('refuses a statement that does not add up and records nothing', async () => {
    const l = await ledger();
    await expect(l.run(fixture('relance-unbalanced.cfo'), 'bad.cfo')).rejects.toMatchObject({
      code: 'IMPORT_REJECTED',
      extra: { openingMinor: 1_000_000, movementsMinor: 162_550, closingMinor: 1_162_560 },
    });
    expect(
      await t.db.selectFrom('bank_statement_lines').select('id').where('org_id', '=', l.org.id).execute(),
    ).toEqual([]);
  });

  it('exports the period’s allocations as lettered entries (CSV and FEC), the same file each time', async () => {
    const l = await ledger({ bank: { shortPaymentToleranceMinor: 500 } });
    await l.run(
      Buffer.from(
        'Date;Libellé;Tiers;Montant\n13/03/2026;FACT F-2026-0001;ACME;1196,50\n14/03/2026;F2026-0002 F2026-0003;BETA CONSEIL;450,50\n',
      ),
      'march.csv',
    );
    const csv = await exportLettrage(t.db, l.org.id, { from: '2026-03-01', to: '2026-03-31', format: 'csv' });
    expect(csv.payments).toBe(2);
    const rows = csv.content
      .trim()
      .split('\n')
      .map((r) => r.split(';'));
    expect(rows[0]?.slice(0, 3)).toEqual(['ecriture', 'date', 'compte']);
    // entry, account, piece, debit, credit, letter
    expect(rows.slice(1).map((r) => [r[0], r[2], r[5], r[8], r[9], r[10]])).toEqual([
      ['1', '512000', expect.stringMatching(/^bank:/), '1196,50', '0,00', ''],
      ['1', '411000', 'F-2026-0001', '0,00', '1196,50', 'AAA'],
      ['1', '627000', 'F-2026-0001', '3,50', '0,00', ''],
      ['1', '411000', 'F-2026-0001', '0,00', '3,50', 'AAA'],
      ['2', '512000', expect.stringMatching(/^bank:/), '450,50', '0,00', ''],
      ['2', '411000', 'F-2026-0002', '0,00', '300,00', 'AAB'],
      ['2', '411000', 'F-2026-0003', '0,00', '150,50', 'AAC'],
    ]);
    const again = await exportLettrage(t.db, l.org.id, {
      from: '2026-03-01',
      to: '2026-03-31',
      format: 'csv',
    });
    expect(again.content).toBe(csv.content);
    const fec = await exportLettrage(t.db, l.org.id, { from: '2026-03-01', to: '2026-03-31', format: 'fec' });
    const fecRows = fec.content
      .split('\n')
      .filter((r) => r !== '')
      .map((r) => r.split('\t'));
    expect(fecRows.every((r) => r.length === 18)).toBe(true);
    expect(fecRows[2]?.slice(0, 5)).toEqual([
      'BQ',
      'Banque',
      '20260301-20260331-000001',
      '20260313',
      '411000',
    ]);
    expect(fecRows[2]?.[13]).toBe('AAA');
    const april = await exportLettrage(t.db, l.org.id, {
      from: '2026-04-01',
      to: '2026-04-30',
      format: 'csv',
    });
    expect(april.payments).toBe(0);
    await expect(
      exportLettrage(t.db, l.org.id, { from: '2026-03-31', to: '2026-03-01', format: 'csv' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});
