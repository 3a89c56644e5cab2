import { describe, expect, it } from 'vitest';
import {
  type BankLine,
  looseInvoiceKeys,
  type MatchingContext,
  matchBankLine,
  type OpenInvoice,
  withinOneEdit,
} from '../../../src/domain/matching/index.js';
import { money } from '../../../src/domain/money/index.js';

const invoice = (
  invoiceId: string,
  invoiceNumber: string,
  customerId: string,
  cents: number,
  dueDate: string,
): OpenInvoice => ({
  invoiceId,
  invoiceNumber,
  customerId,
  balanceDue: money(cents, 'EUR'),
  dueDate,
});

const ACME_IBAN = 'FR7611111000010000000000185';
const context = (): MatchingContext => ({
  customers: [
    { customerId: 'c-acme', name: 'Acme Industrie SAS', ibans: [ACME_IBAN] },
    { customerId: 'c-beta', name: 'Beta Conseil' },
  ],
  invoices: [
    invoice('a1', 'F-2026-0001', 'c-acme', 120_000, '2026-01-31'),
    invoice('a2', 'F-2026-0002', 'c-acme', 30_000, '2026-02-28'),
    invoice('a3', 'F-2026-0003', 'c-acme', 20_000, '2026-03-31'),
    invoice('a4', 'F-2026-0004', 'c-acme', 10_000, '2026-04-30'),
    invoice('b1', 'F-2026-0101', 'c-beta', 45_050, '2026-02-15'),
    invoice('b2', 'FA-000777', 'c-beta', 9_900, '2026-02-20'),
  ],
});

let n = 0;
const line = (cents: number, extra: Partial<BankLine> = {}): BankLine => ({
  id: `L${++n}`,
  amount: money(cents, 'EUR'),
  creditDebit: 'CRDT',
  bookingDate: '2026-03-13',
  ...extra,
});
const codes = (r: ReturnType<typeof matchBankLine>) =>
  [...r.reasons, ...(r.proposal?.reasons ?? [])].map((x) => x.code);
const paid = (r: ReturnType<typeof matchBankLine>) =>
  r.proposal?.allocations.map((a) => [a.invoiceId, a.amount.amount]);

describe('invoice numbers written loosely', () => {
  it('makes loose keys without prefix and zero padding', () => {
    expect(looseInvoiceKeys('F-2026-0001')).toEqual(['2026.1', '~20260001']);
    expect(looseInvoiceKeys('2026/1')).toEqual(['2026.1', '~20261']);
    expect(looseInvoiceKeys('F12')).toEqual([]);
  });

  it('matches a number without its prefix and padding automatically when the amount is the balance', () => {
    const r = matchBankLine(line(120_000, { remittanceText: 'paiement facture 2026/1' }), context());
    expect(r.status).toBe('auto');
    expect(paid(r)).toEqual([['a1', 120_000]]);
    expect(codes(r)).toContain('invoice-number-loose');
  });

  it('reads a number split by a space and zero-padded differently', () => {
    const r = matchBankLine(line(45_050, { remittanceText: 'REGL FACT 2026 101' }), context());
    expect(paid(r)).toEqual([['b1', 45_050]]);
  });

  it('detects one keystroke of difference', () => {
    expect(withinOneEdit('F20260001', 'F20260110')).toBe(false);
    expect(withinOneEdit('F20260001', 'F20260007')).toBe(true);
    expect(withinOneEdit('F20260012', 'F20260021')).toBe(true);
    expect(withinOneEdit('F2026001', 'F20260001')).toBe(true);
  });

  it('accepts a typo in the number when the amount is exactly the invoice balance', () => {
    const r = matchBankLine(line(30_000, { remittanceText: 'F-2026-0O02 merci' }), context());
    expect(r.status).toBe('auto');
    expect(paid(r)).toEqual([['a2', 30_000]]);
    expect(codes(r)).toContain('invoice-number-typo');
  });

  it('prefers the number one keystroke away owing the amount over an existing number owing another', () => {
    // F-2026-0003 exists and owes 200.00; the payer meant F-2026-0002, which owes the 300.00 paid.
    const r = matchBankLine(
      line(30_000, { remittanceText: 'F-2026-0003', debtorIban: ACME_IBAN }),
      context(),
    );
    expect(r.status).toBe('auto');
    expect(paid(r)).toEqual([['a2', 30_000]]);
    expect(codes(r)).toContain('invoice-number-typo');
  });

  it('only suggests a typo match when the amount differs', () => {
    const r = matchBankLine(
      line(25_000, { remittanceText: 'F-2026-0O02', debtorIban: ACME_IBAN, debtorName: 'ACME INDUSTRIE' }),
      context(),
    );
    expect(r.status).toBe('suggested');
  });

  it('reads several numbers in one line and settles each', () => {
    const r = matchBankLine(line(50_000, { remittanceText: 'F-2026-0002 / F-2026-0003' }), context());
    expect(r.status).toBe('auto');
    expect(paid(r)).toEqual([
      ['a2', 30_000],
      ['a3', 20_000],
    ]);
  });
});

describe('short payments, overpayments and amount combinations', () => {
  it('closes an invoice paid short within the tolerance and books the difference to the named reason', () => {
    const r = matchBankLine(line(119_650, { remittanceText: 'F-2026-0001' }), context(), {
      shortPaymentTolerance: { maxMinor: 500, reason: 'bank-fees' },
    });
    expect(r.status).toBe('auto');
    expect(r.proposal?.writeOffs?.map((w) => [w.invoiceId, w.amount.amount])).toEqual([['a1', 350]]);
    expect(r.proposal?.writeOffReason).toBe('bank-fees');
    expect(codes(r)).toContain('short-payment');
  });

  it('leaves the rest open beyond the tolerance (a partial payment)', () => {
    const r = matchBankLine(line(119_000, { remittanceText: 'F-2026-0001' }), context(), {
      shortPaymentTolerance: { maxMinor: 500, reason: 'bank-fees' },
    });
    expect(r.proposal?.writeOffs).toBeUndefined();
    expect(codes(r)).toContain('partial-payment');
  });

  it('applies an overpayment from the recognised payer and keeps the surplus as customer credit', () => {
    const r = matchBankLine(
      line(125_000, { remittanceText: 'F-2026-0001', debtorIban: ACME_IBAN }),
      context(),
    );
    expect(r.status).toBe('auto');
    expect(r.proposal?.unallocated.amount).toBe(5_000);
    expect(r.proposal?.customerId).toBe('c-acme');
    expect(codes(r)).toContain('customer-credit');
  });

  it('only suggests an overpayment when nothing confirms the payer', () => {
    const r = matchBankLine(line(125_000, { remittanceText: 'F-2026-0001' }), context());
    expect(r.status).toBe('suggested');
  });

  it('proposes the oldest set first when several sets of invoices add up to the amount', () => {
    const r = matchBankLine(line(40_000, { debtorIban: ACME_IBAN }), {
      ...context(),
      invoices: [
        invoice('x1', 'X-1', 'c-acme', 20_000, '2026-01-01'),
        invoice('x2', 'X-2', 'c-acme', 20_000, '2026-02-01'),
        invoice('x3', 'X-3', 'c-acme', 20_000, '2026-03-01'),
        invoice('x4', 'X-4', 'c-acme', 5_000, '2026-04-01'),
      ],
    });
    expect(r.status).toBe('suggested');
    expect(paid(r)).toEqual([
      ['x1', 20_000],
      ['x2', 20_000],
    ]);
    expect(r.alternatives.length).toBeGreaterThan(0);
    expect(r.alternatives.every((a) => a.confidence < (r.proposal?.confidence ?? 0))).toBe(true);
  });
});
