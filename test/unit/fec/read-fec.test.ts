import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Ledger, LedgerBuilder } from '../../../src/ingest/fec/ledger.js';
import { type FecLine, type FecLineError, readFec } from '../../../src/ingest/fec/read-fec.js';
import { parseFecAmount, parseFecDate } from '../../../src/ingest/fec/values.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/fec', name));

async function read(input: Buffer) {
  const r = await readFec(input);
  const lines: FecLine[] = [];
  const errors: FecLineError[] = [];
  for await (const it of r.items) {
    if (it.ok) lines.push(it.line);
    else errors.push(it.error);
  }
  return { dialect: r.dialect, lines, errors };
}

async function ledgerOf(input: Buffer): Promise<Ledger> {
  const { lines, errors } = await read(input);
  expect(errors).toEqual([]);
  const b = new LedgerBuilder({ receivablePrefixes: ['411'] });
  for (const l of lines) b.add(l);
  return b.build();
}

describe('FEC values', () => {
  it.each([
    ['+000000069,40', 6940],
    ['-000001060,40', -106040],
    ['1234.5', 123450],
    ['0', 0],
    ['', 0],
    ['  777,18  ', 77718],
    ['1 234,56', 123456],
    ['1.234,56', 123456],
    ['1,234.56', 123456],
  ])('reads the amount %j as %i cents', (raw, cents) => {
    expect(parseFecAmount(raw)).toEqual({ ok: true, minor: cents });
  });

  it.each(['12,345', 'abc', '1,2,3', '12.3.4'])('refuses the amount %j naming why', (raw) => {
    const r = parseFecAmount(raw);
    expect(r.ok).toBe(false);
  });

  it.each([
    ['20260105', '2026-01-05'],
    ['2026-01-05', '2026-01-05'],
    ['05/01/2026', '2026-01-05'],
    ['20240229', '2024-02-29'],
    ['', null],
  ])('reads the date %j', (raw, iso) => {
    expect(parseFecDate(raw)).toEqual({ ok: true, value: iso });
  });

  it.each(['20230229', '20261301', '2026010', '01/13/2026'])('refuses the date %j', (raw) => {
    expect(parseFecDate(raw).ok).toBe(false);
  });
});

describe('FEC dialects', () => {
  it('reads a pipe-separated ISO-8859-1 file with other header spellings and padded signed amounts', async () => {
    const { dialect, lines, errors } = await read(fixture('pipe-latin1.txt'));
    expect(errors).toEqual([]);
    expect(dialect).toMatchObject({ separator: 'pipe', encoding: 'iso-8859-1', amounts: 'debit-credit' });
    expect(lines[0]).toMatchObject({
      journalLib: 'VENTES',
      compteLib: 'Clients',
      compAuxLib: 'Boulangerie Éclair',
      ecritureLib: 'Pain août',
      debitMinor: 120000,
      creditMinor: 0,
      ecritureDate: '2026-01-05',
    });
  });

  it('reads Montant + Sens as debit and credit', async () => {
    const { dialect, lines } = await read(fixture('montant-sens.txt'));
    expect(dialect.amounts).toBe('montant-sens');
    expect(lines.slice(0, 2).map((l) => [l.debitMinor, l.creditMinor])).toEqual([
      [120000, 0],
      [0, 100000],
    ]);
  });

  it('reads the 21-column variant: DateRglt becomes the due date, ModeRglt is kept', async () => {
    const { dialect, lines } = await read(fixture('21-columns.txt'));
    expect(dialect.columns).toBe(21);
    expect(lines[0]).toMatchObject({ dateRglt: '2026-02-04', modeRglt: 'VIR' });
  });

  it('gives every dialect of the same books the same ledger', async () => {
    const shape = (l: Ledger) => ({
      customers: l.customers.map((c) => [c.ref, c.name, c.balanceMinor]),
      items: l.items.map((i) => [i.kind, i.number, i.customerRef, i.amountMinor, i.date]),
      allocations: l.allocations,
    });
    const base = shape(await ledgerOf(fixture('sync-month2.txt')));
    for (const f of ['pipe-latin1.txt', 'montant-sens.txt', '21-columns.txt']) {
      expect({ f, ...shape(await ledgerOf(fixture(f))) }).toEqual({ f, ...base });
    }
    expect(base.customers).toEqual([
      ['C001', 'Boulangerie Éclair', 0],
      ['C002', 'Café Müller', 65000],
    ]);
  });

  it('refuses a header without the legal columns, naming them', async () => {
    await expect(readFec(Buffer.from('JournalCode\tCompteNum\n'))).rejects.toThrow(/EcritureNum/);
    await expect(readFec(Buffer.from('JournalCode;CompteNum;Debit\n'))).rejects.toThrow(/tab nor pipe/);
  });

  it('names the line, column and value of a bad amount or date', async () => {
    const head =
      'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';
    const ok = 'VE\tV\t1\t20260105\t411\tC\t\t\tP\t20260105\tL\t10,00\t0\t\t\t\t\t';
    const badAmount = 'VE\tV\t1\t20260105\t706\tC\t\t\tP\t20260105\tL\t0\t10,0x\t\t\t\t\t';
    const badDate = 'VE\tV\t2\t20261305\t706\tC\t\t\tP\t20260105\tL\t0\t1\t\t\t\t\t';
    const { errors, lines } = await read(Buffer.from([head, ok, badAmount, badDate].join('\n')));
    expect(lines).toHaveLength(1);
    expect(errors).toEqual([
      { line: 3, column: 'Credit', value: '10,0x', reason: expect.stringMatching(/not an amount/) },
      { line: 4, column: 'EcritureDate', value: '20261305', reason: 'not a calendar date' },
    ]);
  });
});

describe('FEC ledger', () => {
  it('turns sales debits into invoices, sales credits into credit notes, bank credits into payments', async () => {
    const l = await ledgerOf(fixture('sync-month2.txt'));
    expect(l.journals).toEqual({ VE: 'sales', BQ: 'bank' });
    expect(l.items.map((i) => [i.kind, i.number, i.amountMinor])).toEqual([
      ['invoice', 'FA001', 120000],
      ['invoice', 'FA002', 60000],
      ['credit_note', 'AV001', 12000],
      ['payment', 'FEC BQ BQ1', 108000],
      ['payment', 'FEC BQ BQ2', 25000],
      ['invoice', 'FA003', 30000],
    ]);
  });

  it('allocates a lettering group oldest first, and leaves the rest of a partial group open', async () => {
    const l = await ledgerOf(fixture('21-columns.txt'));
    const byKey = new Map(l.items.map((i) => [i.key, i.number]));
    expect(l.allocations.map((a) => [byKey.get(a.debitKey), byKey.get(a.creditKey), a.amountMinor])).toEqual([
      ['FA001', 'AV001', 12000],
      ['FA001', 'FEC BQ BQ1', 108000],
      ['FA002', 'FEC BQ BQ2', 25000],
    ]);
    expect(l.partialGroups).toBe(1);
  });

  it('reports an entry that does not balance', async () => {
    const head =
      'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';
    const a = 'VE\tV\t7\t20260105\t411\tC\t\t\tP\t20260105\tL\t10,00\t0\t\t\t\t\t';
    const b = 'VE\tV\t7\t20260105\t706\tC\t\t\tP\t20260105\tL\t0\t9,99\t\t\t\t\t';
    const l = await ledgerOf(Buffer.from([head, a, b].join('\n')));
    expect(l.unbalanced).toEqual([{ journal: 'VE', ecritureNum: '7', differenceMinor: 1 }]);
  });

  it('makes numbers unique when several lines share a piece reference', async () => {
    const head =
      'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';
    const rows = [
      'AN\tA NOUVEAUX\t1\t20260101\t411\tC\tA1\tAlpha\tx\t20251201\tReport\t10,00\t0\t\t\t\t\t',
      'AN\tA NOUVEAUX\t1\t20260101\t411\tC\tA2\tBeta\tx\t20251202\tReport\t20,00\t0\t\t\t\t\t',
      'AN\tA NOUVEAUX\t1\t20260101\t411\tC\tA2\tBeta\tx\t20251203\tReport\t5,00\t0\t\t\t\t\t',
      'AN\tA NOUVEAUX\t1\t20260101\t890\tBilan\t\t\tx\t20260101\tReport\t0\t35,00\t\t\t\t\t',
    ];
    const l = await ledgerOf(Buffer.from([head, ...rows].join('\n')));
    expect(l.journals.AN).toBe('opening');
    expect(l.items.map((i) => [i.number, i.date])).toEqual([
      ['x (AN 1)', '2025-12-01'],
      ['x (AN 1/2)', '2025-12-02'],
      ['x (AN 1/3)', '2025-12-03'],
    ]);
  });
});
