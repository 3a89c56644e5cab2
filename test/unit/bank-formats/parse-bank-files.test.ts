import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { parseBankFile } from '../../../src/ingest/bank-statement/index.js';
import { describeShared, sharedData } from '../../helpers/shared-data.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string) => readFileSync(path.resolve(repoRoot, 'test/fixtures/bank', name));
const sample = (dir: string, name: string) => readFileSync(sharedData(dir, name));

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the file to be refused');
}

describe('one statement in every format gives the same lines', () => {
  const expected = [
    { amount: 120000, creditDebit: 'CRDT', name: 'ACME INDUSTRIE SAS', text: /F-2026-0001/ },
    { amount: 45050, creditDebit: 'CRDT', name: 'BETA CONSEIL', text: /F2026-0002 F2026-0003/ },
    { amount: 2500, creditDebit: 'DBIT', name: undefined, text: /FRAIS TENUE DE COMPTE/ },
  ];
  for (const [file, format] of [
    ['relance.cfo', 'cfonb120'],
    ['relance.mt940', 'mt940'],
    ['relance.ofx', 'ofx'],
    ['relance.csv', 'csv'],
  ] as const) {
    it(`reads ${format} (${file}): amounts, direction, date, payer and remittance`, () => {
      const parsed = parseBankFile(fixture(file), { filename: file });
      expect(parsed.format).toBe(format);
      const lines = parsed.statements.flatMap((s) => s.lines);
      expect(lines).toHaveLength(3);
      lines.forEach((line, i) => {
        const e = expected[i];
        expect(line.amount).toEqual({ amount: e?.amount, currency: 'EUR' });
        expect(line.creditDebit).toBe(e?.creditDebit);
        expect(line.bookingDate).toBe('2026-03-13');
        if (e?.name && format !== 'csv') expect(line.debtorName).toBe(e.name);
        expect(line.remittanceText ?? line.debtorName).toMatch(e?.text ?? /./);
      });
      expect(new Set(lines.map((l) => l.id)).size).toBe(3);
    });
  }

  it('reads the payer IBAN and end-to-end id of MT940 structured details', () => {
    const [first] = parseBankFile(fixture('relance.mt940')).statements[0]?.lines ?? [];
    expect(first).toMatchObject({ debtorIban: 'FR7611111000010000000000185', endToEndId: 'E2E-1' });
  });

  it('checks opening + movements = closing for CFONB and MT940', () => {
    const cfonb = parseBankFile(fixture('relance.cfo')).statements[0];
    expect(cfonb?.opening?.amountMinor).toBe(1000000);
    expect(cfonb?.closing?.amountMinor).toBe(1162550);
    const mt = parseBankFile(fixture('relance.mt940')).statements[0];
    expect([mt?.opening?.amountMinor, mt?.closing?.amountMinor]).toEqual([1000000, 1162550]);
  });

  it('refuses a statement whose balances do not add up, with the figures', () => {
    const e = refusal(() => parseBankFile(fixture('relance-unbalanced.cfo')));
    expect(e.code).toBe('IMPORT_REJECTED');
    expect(e.message).toContain('opening 10000.00 EUR + movements 1625.50 EUR = 11625.50 EUR');
    expect(e.message).toContain('closing balance is 11625.60 EUR (difference 0.10 EUR)');
    expect(e.extra).toMatchObject({ openingMinor: 1000000, movementsMinor: 162550, closingMinor: 1162560 });
    expect(e.details[0]?.code).toBe('balance_mismatch');
  });
});

describe('CSV bank exports', () => {
  it('uses an explicit mapping with a signed amount column and ISO dates', () => {
    const csv = Buffer.from(
      'when,what,how much,who,acct\n2026-03-13,Invoice 42,-12.5,Shop,\n2026-03-14,INV-7,99.99,ACME Ltd,FR76 3000 6000 0112 3456 7890 189\n',
    );
    const lines = parseBankFile(csv, {
      format: 'csv',
      csvMapping: { date: 'when', amount: 'how much', text: ['what'], name: 'who', iban: 'acct' },
    }).statements[0]?.lines;
    expect(lines?.map((l) => [l.creditDebit, l.amount.amount, l.bookingDate])).toEqual([
      ['DBIT', 1250, '2026-03-13'],
      ['CRDT', 9999, '2026-03-14'],
    ]);
    expect(lines?.[1]?.debtorIban).toBe('FR7630006000011234567890189');
  });

  it('names the mapped column the file lacks', () => {
    const e = refusal(() =>
      parseBankFile(Buffer.from('Date;Montant\n13/03/2026;1,00\n'), {
        format: 'csv',
        csvMapping: { name: 'Payeur' },
      }),
    );
    expect(e.details[0]).toMatchObject({ field: 'mapping.name', value: 'Payeur' });
  });

  it('names the row and column of a bad date or amount', () => {
    const date = refusal(() => parseBankFile(Buffer.from('Date;Montant\n31/02/2026;1,00\n')));
    expect(date.details[0]).toMatchObject({ line: 2, column: 'Date', value: '31/02/2026' });
    const amount = refusal(() => parseBankFile(Buffer.from('Date;Montant\n13/03/2026;12,3,4\n')));
    expect(amount.details[0]).toMatchObject({ line: 2, column: 'Montant' });
  });
});

describeShared('public samples (../shared/data)', () => {
  it('CFONB 120 (OCA classic): 13 movements with their 05 complements, balances reconcile', () => {
    const parsed = parseBankFile(sample('cfonb', 'oca_cfonb_classic.cfo'));
    const [s] = parsed.statements;
    expect(s?.opening?.amountMinor).toBe(101731189);
    expect(s?.closing?.amountMinor).toBe(103158579);
    expect(s?.lines).toHaveLength(13);
    expect(s?.lines[0]).toMatchObject({
      amount: { amount: 104017, currency: 'EUR' },
      creditDebit: 'CRDT',
      bookingDate: '2024-01-13',
      debtorName: 'MA JOLIE BOUTIQUE',
    });
    expect(s?.lines[0]?.remittanceText).toContain('facture F230875');
    expect(s?.lines[1]?.remittanceText).toContain('F230866 F230765 F238765');
    expect(s?.lines.filter((l) => l.creditDebit === 'CRDT')).toHaveLength(9);
  });

  it('CFONB 120: reads blank lines, overdrawn accounts and several statements per file', () => {
    const pennylane = parseBankFile(sample('cfonb', 'pennylane_example.txt'));
    expect(pennylane.statements.map((s) => [s.opening?.amountMinor, s.closing?.amountMinor])).toEqual([
      [-19040, -24121],
      [-24121, -16372],
    ]);
    expect(parseBankFile(sample('cfonb', 'silarhi_complex-test.txt')).statements).toHaveLength(8);
    expect(parseBankFile(sample('cfonb', 'silarhi_test-unused-parts.txt')).statements).toHaveLength(8);
    expect(parseBankFile(sample('cfonb', 'silarhi_simple-test.txt')).statements[0]?.lines).toEqual([]);
  });

  it('CFONB 120 negative cases: a date that is not one, and a statement that does not reconcile', () => {
    const date = refusal(() => parseBankFile(sample('cfonb', 'pennylane_invalid_date.txt')));
    expect(date.details[0]).toMatchObject({ line: 1, field: 'opening date', value: '  CART' });
    const akretion = refusal(() => parseBankFile(sample('cfonb', 'akretion_bank_statement.cfo')));
    expect(akretion.message).toContain('opening 0.08 EUR + movements -2000.00 EUR = -1999.92 EUR');
    expect(akretion.message).toContain('closing balance is 11871.14 EUR');
  });

  it('MT940 (ING): structured :86: details, returns flagged, balances reconcile', () => {
    const [s] = parseBankFile(sample('mt940', 'oca_test-ing.940')).statements;
    expect(s?.lines).toHaveLength(8);
    expect([s?.opening?.amountMinor, s?.closing?.amountMinor]).toEqual([66223, 56435]);
    expect(s?.lines[0]).toMatchObject({
      amount: { amount: 156, currency: 'EUR' },
      creditDebit: 'CRDT',
      endToEndId: 'EV12341REP1231456T1234',
      debtorIban: 'NL32INGB0000012345',
      debtorName: 'ING BANK NV INZAKE WEB',
      remittanceText: 'EV10001REP1000000T1000',
    });
    expect(s?.lines[2]?.reversal).toBe(true);
    expect(s?.lines[2]?.remittanceText).toBe('Factuurnr 123456 Klantnr 00123');
  });

  it('MT940: CRLF files, a missing closing balance, German ?-subfields', () => {
    expect(
      parseBankFile(sample('mt940', 'oca_mollie_Voorbeeld_MT-940.mt940')).statements[0]?.lines,
    ).toHaveLength(21);
    const sns = parseBankFile(sample('mt940', 'oca_test-sns.940')).statements;
    expect(sns).toHaveLength(3);
    expect(sns[2]?.closing).toBeUndefined();
    const e = refusal(() => parseBankFile(sample('mt940', 'wolph_betterplace_sepa_snippet.sta')));
    expect(e.message).toContain('difference 300.08 EUR');
  });

  it('MT940 negative cases: a pre-euro currency and a statement that does not reconcile', () => {
    expect(refusal(() => parseBankFile(sample('mt940', 'wolph_cmxl_mt940.sta'))).message).toContain('"DEM"');
    expect(refusal(() => parseBankFile(sample('mt940', 'wolph_jejik_abnamro.sta'))).message).toContain(
      'opening 3236.28 EUR + movements -321.44 EUR = 2914.84 EUR',
    );
  });

  it('OFX: SGML 1.x and XML 2.x, several transaction lists, credit-card statements', () => {
    const checking = parseBankFile(sample('ofx', 'ofxparse_checking.ofx')).statements[0];
    expect(checking?.lines.map((l) => [l.creditDebit, l.amount.amount])).toEqual([
      ['CRDT', 1],
      ['DBIT', 3451],
      ['DBIT', 2500],
    ]);
    expect(checking?.closing?.amountMinor).toBe(10099);
    const suncorp = parseBankFile(sample('ofx', 'ofxparse_suncorp.ofx')).statements[0];
    expect(suncorp?.lines[0]?.debtorName).toBe('EFTPOS WDL HANDYWAY ALDI STORE');
    const oca = parseBankFile(sample('ofx', 'oca_test_ofx.ofx')).statements;
    expect(oca.map((s) => s.lines.length)).toEqual([4, 0]);
  });

  it('OFX negative case: parts commented out leave a statement without currency', () => {
    const e = refusal(() => parseBankFile(sample('ofx', 'oca_test_ofx_wrong.ofx')));
    expect(e.details[0]).toMatchObject({ field: 'STMTRS/CURDEF', reason: 'required' });
  });

  it('camt.053: balances of a multi-statement file are checked', () => {
    const parsed = parseBankFile(sample('camt', 'genkgo_camt053.v2.multi.statement.xml'));
    expect(parsed.statements.map((s) => [s.opening?.amountMinor, s.closing?.amountMinor])).toEqual([
      [1815, 2700],
      [2700, 2000],
    ]);
  });
});
