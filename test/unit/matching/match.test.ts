import { describe, expect, it } from 'vitest';
import {
  type BankLine,
  type MatchingContext,
  matchBankLine,
  matchBankLines,
  type OpenInvoice,
} from '../../../src/domain/matching/index.js';
import { money } from '../../../src/domain/money/index.js';
import { createCreditorReference, customerCreditorReference } from '../../../src/domain/sepa/index.js';

const eur = (cents: number) => money(cents, 'EUR');

const invoice = (
  invoiceId: string,
  invoiceNumber: string,
  customerId: string,
  cents: number,
  dueDate: string,
  currency = 'EUR',
): OpenInvoice => ({ invoiceId, invoiceNumber, customerId, balanceDue: money(cents, currency), dueDate });

const DUPONT_IBAN = 'DE89370400440532013000';
const MARTIN_IBAN = 'GB82WEST12345698765432';
const DUPONT_REF = customerCreditorReference('org-1', 'DUPONT');
const SELECTION_REF = createCreditorReference('S119120');

function context(): MatchingContext {
  return {
    customers: [
      { customerId: 'c-dupont', name: 'Dupont SARL', ibans: [DUPONT_IBAN] },
      { customerId: 'c-martin', name: 'Martin & Fils', ibans: [MARTIN_IBAN] },
      { customerId: 'c-leroy', name: 'Leroy Jean' },
    ],
    invoices: [
      invoice('i-118', 'F-2024-118', 'c-dupont', 120_000, '2024-03-31'),
      invoice('i-119', 'F-2024-119', 'c-dupont', 45_050, '2024-04-30'),
      invoice('i-120', 'F-2024-120', 'c-dupont', 30_000, '2024-05-31'),
      invoice('i-201', 'F-2024-201', 'c-martin', 10_000, '2024-04-15'),
      invoice('i-202', 'F-2024-202', 'c-martin', 10_000, '2024-05-15'),
      invoice('i-301', 'F-2024-301', 'c-leroy', 77_700, '2024-06-01'),
      invoice('i-401', 'F-2024-401', 'c-leroy', 50_000, '2024-06-01', 'USD'),
    ],
    references: [
      { reference: DUPONT_REF, customerId: 'c-dupont' },
      { reference: SELECTION_REF, customerId: 'c-dupont', invoiceIds: ['i-119', 'i-120'] },
    ],
  };
}

let seq = 0;
const line = (cents: number, extra: Partial<BankLine> = {}): BankLine => ({
  id: `L${++seq}`,
  amount: eur(cents),
  creditDebit: 'CRDT',
  bookingDate: '2024-06-10',
  ...extra,
});

const allocated = (result: ReturnType<typeof matchBankLine>) =>
  result.proposal?.allocations.map((a) => [a.invoiceNumber, a.amount.amount]);
const codes = (result: ReturnType<typeof matchBankLine>) => result.proposal?.reasons.map((r) => r.code) ?? [];

describe('matching by ISO 11649 creditor reference', () => {
  it('settles the customer’s invoices oldest first when a customer reference pays all of them', () => {
    const result = matchBankLine(line(195_050, { structuredReference: DUPONT_REF }), context());
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([
      ['F-2024-118', 120_000],
      ['F-2024-119', 45_050],
      ['F-2024-120', 30_000],
    ]);
    expect(result.proposal?.unallocated.amount).toBe(0);
    expect(result.proposal?.customerId).toBe('c-dupont');
    expect(codes(result)).toContain('creditor-reference');
    expect(result.proposal?.confidence).toBeGreaterThanOrEqual(99);
  });

  it('pays only the selected invoices for a selection reference, even when older ones are open', () => {
    const result = matchBankLine(line(75_050, { structuredReference: SELECTION_REF }), context());
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([
      ['F-2024-119', 45_050],
      ['F-2024-120', 30_000],
    ]);
  });

  it('finds a printed RF reference typed into the free text', () => {
    const printed = DUPONT_REF.replace(/(.{4})(?=.)/g, '$1 ');
    const result = matchBankLine(line(120_000, { remittanceText: `Paiement ${printed} merci` }), context());
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([['F-2024-118', 120_000]]);
  });

  it('allocates a partial payment on a customer reference to the oldest invoice and still applies it', () => {
    const result = matchBankLine(line(50_000, { structuredReference: DUPONT_REF }), context());
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([['F-2024-118', 50_000]]);
    expect(codes(result)).toContain('partial-payment');
  });

  it('sends an overpayment on a reference to a person, showing the money left over', () => {
    const result = matchBankLine(line(80_000, { structuredReference: SELECTION_REF }), context());
    expect(result.status).toBe('suggested');
    expect(result.proposal?.unallocated.amount).toBe(4_950);
    expect(codes(result)).toContain('overpayment');
  });

  it('notes a valid RF reference the organisation never issued and falls back to other evidence', () => {
    const foreign = createCreditorReference('539007547034');
    const result = matchBankLine(
      line(120_000, { structuredReference: foreign, remittanceText: 'F-2024-118' }),
      context(),
    );
    expect(result.reasons.map((r) => r.code)).toContain('unknown-reference');
    expect(allocated(result)).toEqual([['F-2024-118', 120_000]]);
    expect(codes(result)).toContain('invoice-number');
  });

  it('lowers the score when a reference is paid from another customer’s account', () => {
    const result = matchBankLine(
      line(195_050, { structuredReference: DUPONT_REF, debtorIban: MARTIN_IBAN }),
      context(),
    );
    expect(result.status).toBe('suggested');
    expect(codes(result)).toContain('customer-mismatch');
  });
});

describe('matching by invoice numbers in the remittance text', () => {
  it.each([
    'FACT F-2024-118',
    'F2024118',
    'f-2024-118',
    'Facture n° F 2024 118',
    'FACTF2024118',
    'Fact.F-2024-118 du 31/03',
    'INV F/2024/118',
    'Règlement facture F-2024-118, merci',
  ])('recognises %j as invoice F-2024-118', (text) => {
    const result = matchBankLine(line(120_000, { remittanceText: text }), context());
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([['F-2024-118', 120_000]]);
    expect(codes(result)).toContain('invoice-number');
  });

  it.each(['F-2024-11', 'F-2024-1180', 'PAIEMENT 2024-03-31', 'F2024 118000'])(
    'does not read %j as invoice F-2024-118',
    (text) => {
      const result = matchBankLine(line(99_999, { remittanceText: text }), context());
      expect(result.proposal?.allocations.map((a) => a.invoiceNumber) ?? []).not.toContain('F-2024-118');
    },
  );

  it('splits one transfer over two invoices it names', () => {
    const result = matchBankLine(
      line(165_050, { remittanceText: 'FACT F-2024-118 + F-2024-119', debtorIban: DUPONT_IBAN }),
      context(),
    );
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([
      ['F-2024-118', 120_000],
      ['F-2024-119', 45_050],
    ]);
    expect(codes(result)).toEqual(expect.arrayContaining(['invoice-number', 'customer-iban']));
  });

  it('applies a partial payment of a named invoice and keeps the rest due', () => {
    const result = matchBankLine(line(20_000, { remittanceText: 'acompte F2024118' }), context());
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([['F-2024-118', 20_000]]);
    expect(result.proposal?.unallocated.amount).toBe(0);
    expect(codes(result)).toContain('partial-payment');
  });

  it('suggests, rather than applies, an overpayment of a named invoice', () => {
    const result = matchBankLine(line(130_000, { remittanceText: 'F-2024-118' }), context());
    expect(result.status).toBe('suggested');
    expect(allocated(result)).toEqual([['F-2024-118', 120_000]]);
    expect(result.proposal?.unallocated).toEqual(eur(10_000));
  });

  it('finds the invoice number in the end-to-end id when the text is empty', () => {
    const result = matchBankLine(line(45_050, { endToEndId: 'F-2024-119' }), context());
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([['F-2024-119', 45_050]]);
  });

  it('treats a very short invoice number as weaker evidence', () => {
    const ctx = context();
    ctx.invoices.push(invoice('i-7', '77', 'c-leroy', 5_000, '2024-01-01'));
    const result = matchBankLine(line(5_000, { remittanceText: 'ref 77' }), ctx);
    expect(result.status).toBe('suggested');
    expect(codes(result)).toContain('short-invoice-number');
  });
});

describe('matching by amount and payer', () => {
  it('applies an exact amount paid from the customer’s known IBAN', () => {
    const result = matchBankLine(line(77_700, { debtorIban: 'DE89 3704 0044 0532 0130 00' }), {
      ...context(),
      customers: [{ customerId: 'c-leroy', name: 'Leroy Jean', ibans: [DUPONT_IBAN] }],
    });
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([['F-2024-301', 77_700]]);
    expect(codes(result)).toEqual(expect.arrayContaining(['customer-iban', 'amount-exact']));
  });

  it('only suggests an exact amount when the payer is recognised by name alone', () => {
    const result = matchBankLine(line(77_700, { debtorName: 'M. JEAN LEROY' }), context());
    expect(result.status).toBe('suggested');
    expect(allocated(result)).toEqual([['F-2024-301', 77_700]]);
    expect(codes(result)).toEqual(expect.arrayContaining(['customer-name', 'amount-exact']));
  });

  it('suggests instead of guessing between two invoices with the same balance', () => {
    const result = matchBankLine(line(10_000, { debtorIban: MARTIN_IBAN }), context());
    expect(result.status).toBe('suggested');
    expect(result.proposal?.confidence).toBeLessThan(90);
    expect(codes(result)).toContain('ambiguous');
    const proposed = [result.proposal, ...result.alternatives].map((p) => p?.allocations[0]?.invoiceNumber);
    expect(proposed.sort()).toEqual(['F-2024-201', 'F-2024-202']);
  });

  it('applies a transfer equal to everything the customer owes across several invoices', () => {
    const result = matchBankLine(line(20_000, { debtorIban: MARTIN_IBAN }), context());
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([
      ['F-2024-201', 10_000],
      ['F-2024-202', 10_000],
    ]);
    expect(codes(result)).toContain('amount-total-balance');
  });

  it('applies the one set of invoices whose balances add up to a transfer from the customer’s known account', () => {
    const result = matchBankLine(line(150_000, { debtorIban: DUPONT_IBAN }), context());
    expect(result.status).toBe('auto');
    expect(allocated(result)).toEqual([
      ['F-2024-118', 120_000],
      ['F-2024-120', 30_000],
    ]);
    expect(codes(result)).toContain('amount-sum');
  });

  it('only suggests the one set of invoices adding up when the payer is known by name alone', () => {
    const result = matchBankLine(line(150_000, { debtorName: 'DUPONT' }), context());
    expect(result.status).toBe('suggested');
    expect(codes(result)).toContain('amount-sum');
  });

  it('recognises a payer by a rare word of its name among many customers sharing a common one', () => {
    const ctx = context();
    for (let n = 0; n < 60; n++) {
      ctx.customers.push({ customerId: `b${n}`, name: `Boulangerie ${n}` });
      ctx.invoices.push(invoice(`ib${n}`, `B-${n}`, `b${n}`, 33_300, '2024-05-01'));
    }
    ctx.customers.push({ customerId: 'moreau', name: 'Boulangerie Moreau' });
    ctx.invoices.push(invoice('im', 'B-MOREAU', 'moreau', 33_300, '2024-05-01'));
    const result = matchBankLine(line(33_300, { debtorName: 'BOULANGERIE MOREAU' }), ctx);
    expect(result.status).toBe('suggested');
    expect(result.alternatives).toHaveLength(0);
    expect(allocated(result)).toEqual([['B-MOREAU', 33_300]]);
    expect(codes(result)).toContain('customer-name');
  });

  it('suggests a weak match when only the amount links a transfer to one invoice', () => {
    const result = matchBankLine(line(45_050, { debtorName: 'Unknown payer' }), context());
    expect(result.status).toBe('suggested');
    expect(allocated(result)).toEqual([['F-2024-119', 45_050]]);
    expect(codes(result)).toContain('amount-only');
    expect(result.proposal?.confidence).toBeLessThan(60);
  });

  it('leaves a transfer unmatched when nothing points anywhere', () => {
    const result = matchBankLine(line(12_345, { remittanceText: 'cotisation annuelle' }), context());
    expect(result.status).toBe('unmatched');
    expect(result.proposal).toBeUndefined();
    expect(result.reasons.map((r) => r.code)).toContain('no-candidate');
  });
});

describe('lines that are not payments to match', () => {
  it('ignores a transfer in a currency no open invoice uses', () => {
    const result = matchBankLine(
      { ...line(120_000, { remittanceText: 'F-2024-118' }), amount: money(120_000, 'CHF') },
      context(),
    );
    expect(result.status).toBe('ignored');
    expect(result.reasons[0]?.code).toBe('currency-mismatch');
  });

  it('never allocates a EUR transfer to a USD invoice, even when it names it', () => {
    const result = matchBankLine(line(50_000, { remittanceText: 'F-2024-401' }), context());
    expect(result.proposal?.allocations.map((a) => a.invoiceNumber) ?? []).not.toContain('F-2024-401');
  });

  it('matches a USD transfer only among USD invoices', () => {
    const result = matchBankLine(
      { ...line(0, { remittanceText: 'F-2024-401' }), amount: money(50_000, 'USD') },
      context(),
    );
    expect(result.status).toBe('auto');
    expect(result.proposal?.allocations).toEqual([
      { invoiceId: 'i-401', invoiceNumber: 'F-2024-401', amount: money(50_000, 'USD') },
    ]);
  });

  it('ignores debits and reversals', () => {
    expect(
      matchBankLine(line(120_000, { creditDebit: 'DBIT', remittanceText: 'F-2024-118' }), context()).status,
    ).toBe('ignored');
    expect(
      matchBankLine(line(120_000, { reversal: true, remittanceText: 'F-2024-118' }), context()).status,
    ).toBe('ignored');
  });
});

describe('matching a whole statement', () => {
  it('lets two transfers share one invoice (many-to-one) and stops a third from claiming it', () => {
    const lines = [
      line(60_000, { remittanceText: 'F-2024-118 1/2', bookingDate: '2024-06-11' }),
      line(60_000, { remittanceText: 'F-2024-118 2/2', bookingDate: '2024-06-12' }),
      line(60_000, { remittanceText: 'F-2024-118 again', bookingDate: '2024-06-13' }),
    ];
    const [first, second, third] = matchBankLines(lines, context());
    expect(first?.status).toBe('auto');
    expect(codes(first as never)).toContain('partial-payment');
    expect(second?.status).toBe('auto');
    expect(codes(second as never)).not.toContain('partial-payment');
    expect(allocated(second as never)).toEqual([['F-2024-118', 60_000]]);
    expect(third?.status).not.toBe('auto');
    expect(third?.proposal?.allocations.map((a) => a.invoiceNumber) ?? []).not.toContain('F-2024-118');
  });

  it('takes lines in booking order but answers in input order', () => {
    const later = line(60_000, { remittanceText: 'F-2024-118', bookingDate: '2024-06-20' });
    const earlier = line(120_000, { remittanceText: 'F-2024-118', bookingDate: '2024-06-01' });
    const [forLater, forEarlier] = matchBankLines([later, earlier], context());
    expect(forLater?.bankLineId).toBe(later.id);
    expect(forEarlier?.bankLineId).toBe(earlier.id);
    expect(forEarlier?.status).toBe('auto');
    expect(forLater?.status).not.toBe('auto');
  });

  it('does not let a suggestion consume a balance', () => {
    const [suggestion, exact] = matchBankLines(
      [line(130_000, { remittanceText: 'F-2024-118' }), line(120_000, { remittanceText: 'F-2024-118' })],
      context(),
    );
    expect(suggestion?.status).toBe('suggested');
    expect(exact?.status).toBe('auto');
    expect(allocated(exact as never)).toEqual([['F-2024-118', 120_000]]);
  });

  it('respects a stricter automatic threshold', () => {
    const result = matchBankLine(line(120_000, { remittanceText: 'F-2024-118' }), context(), {
      autoThreshold: 99,
    });
    expect(result.status).toBe('suggested');
    expect(result.proposal?.confidence).toBeGreaterThanOrEqual(90);
  });

  it('ignores invoices already settled', () => {
    const ctx = context();
    ctx.invoices = ctx.invoices.map((i) => (i.invoiceId === 'i-118' ? { ...i, balanceDue: eur(0) } : i));
    const result = matchBankLine(line(120_000, { remittanceText: 'F-2024-118' }), ctx);
    expect(result.proposal?.allocations.map((a) => a.invoiceNumber) ?? []).not.toContain('F-2024-118');
  });
});
