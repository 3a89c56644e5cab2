import { describe, expect, it } from 'vitest';
import { CellError, parseAmountCell, parseDateCell, splitNumbers } from '../../../src/domain/import/parse.js';
import {
  validateCreditNote,
  validateCustomer,
  validateInvoice,
  validatePayment,
} from '../../../src/domain/import/validate.js';

const identity = (fields: string[]) => Object.fromEntries(fields.map((f) => [f, f]));
const invoiceCtx = {
  defaultCurrency: 'EUR',
  byField: identity([
    'invoiceNumber',
    'customerRef',
    'issueDate',
    'dueDate',
    'net',
    'tax',
    'gross',
    'currency',
  ]),
};
const row = (cells: Record<string, string>) => ({
  invoiceNumber: 'F1',
  customerRef: 'C1',
  issueDate: '2026-01-15',
  dueDate: '2026-02-14',
  net: '',
  tax: '',
  gross: '120',
  currency: '',
  ...cells,
});

describe('dates', () => {
  it.each([
    ['2026-03-31', '2026-03-31'],
    ['31/03/2026', '2026-03-31'],
    ['31-03-2026', '2026-03-31'],
    ['31.03.2026', '2026-03-31'],
    ['1/4/2026', '2026-04-01'],
    ['29/02/2028', '2028-02-29'],
    ['05/06/26', '2026-06-05'],
    ['2026-03-31T00:00:00.000Z', '2026-03-31'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseDateCell(input)).toBe(expected);
  });

  it.each(['29/02/2026', '31/04/2026', '2026-13-01', '03/31/2026', 'demain', '45292'])(
    'refuses %s',
    (input) => {
      expect(parseDateCell(input)).toBeInstanceOf(CellError);
    },
  );
});

describe('invoice rows', () => {
  it('parses comma decimals and spaces into minor units and derives the missing amount', () => {
    const v = validateInvoice(2, row({ net: '1 000,50', tax: '200,10', gross: '' }), invoiceCtx);
    expect(v).toMatchObject({ ok: true, value: { net: 100050, tax: 20010, gross: 120060, currency: 'EUR' } });
  });

  it('accepts gross alone, net and tax then 0', () => {
    expect(validateInvoice(2, row({}), invoiceCtx)).toMatchObject({
      ok: true,
      value: { net: 0, tax: 0, gross: 12000 },
    });
  });

  it('reports net + tax different from gross', () => {
    const v = validateInvoice(7, row({ net: '100', tax: '20', gross: '121' }), invoiceCtx);
    expect(v).toMatchObject({
      ok: false,
      errors: [{ line: 7, field: 'gross', column: 'gross', value: '121' }],
    });
  });

  it('reports every problem of a row at once, naming line, column, value and reason', () => {
    const v = validateInvoice(
      9,
      row({ invoiceNumber: '', issueDate: '32/01/2026', gross: '-5', currency: 'EURO' }),
      invoiceCtx,
    );
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors.map((e) => [e.field, e.value ?? null])).toEqual([
      ['invoiceNumber', null],
      ['issueDate', '32/01/2026'],
      ['currency', 'EURO'],
      ['gross', '-5'],
    ]);
    expect(v.errors.every((e) => e.line === 9 && e.reason.length > 5)).toBe(true);
  });

  it('refuses a due date before the issue date', () => {
    const v = validateInvoice(3, row({ issueDate: '15/02/2026', dueDate: '14/02/2026' }), invoiceCtx);
    expect(v).toMatchObject({
      ok: false,
      errors: [{ field: 'dueDate', reason: expect.stringMatching(/before/) }],
    });
  });

  it('refuses more decimals than the currency has', () => {
    expect(validateInvoice(3, row({ gross: '10,005' }), invoiceCtx).ok).toBe(false);
    expect(validateInvoice(3, row({ gross: '1000', currency: 'JPY' }), invoiceCtx)).toMatchObject({
      ok: true,
      value: { gross: 1000, currency: 'JPY' },
    });
  });
});

describe('other entities', () => {
  it('validates customers: SIREN, kind, country and email', () => {
    const ctx = {
      defaultCurrency: 'EUR',
      byField: identity(['externalRef', 'name', 'siren', 'kind', 'country', 'email', 'paymentTermsDays']),
    };
    const ok = validateCustomer(
      2,
      {
        externalRef: 'C1',
        name: 'X',
        siren: '552 100 554',
        kind: 'Particulier',
        country: 'France',
        email: 'a@b.fr',
        paymentTermsDays: '45 jours',
      },
      ctx,
    );
    expect(ok).toMatchObject({
      ok: true,
      value: { siren: '552100554', kind: 'b2c', country: 'FR', paymentTermsDays: 45 },
    });
    const bad = validateCustomer(
      3,
      {
        externalRef: 'C2',
        name: 'Y',
        siren: '123',
        kind: 'x',
        country: 'Narnia',
        email: 'no',
        paymentTermsDays: '400',
      },
      ctx,
    );
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual([
      'siren',
      'email',
      'kind',
      'country',
      'paymentTermsDays',
    ]);
  });

  it('validates payments: positive amount, method and several invoice numbers', () => {
    const ctx = {
      defaultCurrency: 'EUR',
      byField: identity([
        'paymentReference',
        'customerRef',
        'receivedOn',
        'amount',
        'method',
        'invoiceNumbers',
      ]),
    };
    const base = { paymentReference: 'P1', customerRef: 'C1', receivedOn: '01/02/2026', method: 'Virement' };
    expect(
      validatePayment(2, { ...base, amount: '1.234,50', invoiceNumbers: 'F1; F2 | F3,F1' }, ctx),
    ).toMatchObject({
      ok: true,
      value: {
        amount: 123450,
        method: 'transfer',
        invoiceNumbers: ['F1', 'F2', 'F3'],
        receivedOn: '2026-02-01',
      },
    });
    expect(validatePayment(2, { ...base, amount: '0', invoiceNumbers: '' }, ctx).ok).toBe(false);
    expect(validatePayment(2, { ...base, amount: '5', method: 'troc', invoiceNumbers: '' }, ctx).ok).toBe(
      false,
    );
    expect(splitNumbers(' ; |')).toEqual([]);
  });

  it('validates credit notes: positive amounts only', () => {
    const ctx = {
      defaultCurrency: 'EUR',
      byField: identity(['creditNoteNumber', 'customerRef', 'issueDate', 'gross']),
    };
    const base = { creditNoteNumber: 'AV1', customerRef: 'C1', issueDate: '2026-02-01' };
    expect(validateCreditNote(2, { ...base, gross: '50' }, ctx)).toMatchObject({
      ok: true,
      value: { gross: 5000 },
    });
    expect(validateCreditNote(2, { ...base, gross: '-50' }, ctx).ok).toBe(false);
    expect(validateCreditNote(2, { ...base, gross: '0' }, ctx).ok).toBe(false);
  });
});

describe('fast paths agree with the general parsers', () => {
  it('parses plain amounts exactly like parseAmount', async () => {
    const { parseAmount } = await import('../../../src/domain/money/money.js');
    for (const s of ['0', '7', '0,5', '12.34', '1000,00', '99999999999.99', '100000000000', '10,1', '3.05']) {
      expect(parseAmountCell(s, 'EUR')).toBe(parseAmount(s, 'EUR').amount);
    }
    // Past MAX_AMOUNT_MINOR (10^13 minor units) both refuse, naming the maximum.
    expect(parseAmountCell('999999999999.99', 'EUR')).toBeInstanceOf(CellError);
    expect((parseAmountCell('100000000000,01', 'EUR') as CellError).reason).toMatch(/too large.*maximum/);
  });

  it('validates calendar days on the fast date path', () => {
    expect(parseDateCell('29/02/2024')).toBe('2024-02-29');
    expect(parseDateCell('2100-02-29')).toBeInstanceOf(CellError);
    expect(parseDateCell('2000-02-29')).toBe('2000-02-29');
    expect(parseDateCell('00/01/2026')).toBeInstanceOf(CellError);
    expect(parseDateCell('31.12.2026')).toBe('2026-12-31');
  });
});
