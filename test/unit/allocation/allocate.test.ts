import { describe, expect, it } from 'vitest';
import {
  AllocationError,
  allocateOldestFirst,
  checkExplicitAllocations,
  imputationOrder,
  type OpenInvoice,
} from '../../../src/domain/allocation/allocate.js';

const inv = (
  id: string,
  dueDate: string,
  balance: number,
  currency = 'EUR',
  invoiceNumber = id,
): OpenInvoice => ({
  id,
  invoiceNumber,
  dueDate,
  balance,
  currency,
});

describe('allocateOldestFirst (Code civil art. 1342-10)', () => {
  const invoices = [inv('c', '2026-03-01', 300), inv('a', '2026-01-01', 100), inv('b', '2026-02-01', 200)];

  it('allocates nothing for a zero payment', () => {
    expect(allocateOldestFirst(0, 'EUR', invoices)).toEqual({ lines: [], allocated: 0, unallocated: 0 });
  });

  it('settles exactly the oldest invoice when the payment equals its balance', () => {
    expect(allocateOldestFirst(100, 'EUR', invoices)).toEqual({
      lines: [{ invoiceId: 'a', amount: 100 }],
      allocated: 100,
      unallocated: 0,
    });
  });

  it('leaves a balance on the last invoice reached by an under-payment', () => {
    expect(allocateOldestFirst(250, 'EUR', invoices).lines).toEqual([
      { invoiceId: 'a', amount: 100 },
      { invoiceId: 'b', amount: 150 },
    ]);
  });

  it('settles several invoices oldest first and keeps the over-payment unallocated', () => {
    expect(allocateOldestFirst(700, 'EUR', invoices)).toEqual({
      lines: [
        { invoiceId: 'a', amount: 100 },
        { invoiceId: 'b', amount: 200 },
        { invoiceId: 'c', amount: 300 },
      ],
      allocated: 600,
      unallocated: 100,
    });
  });

  it('keeps everything unallocated when there is no open invoice', () => {
    expect(allocateOldestFirst(500, 'EUR', [])).toEqual({ lines: [], allocated: 0, unallocated: 500 });
  });

  it('skips invoices already settled', () => {
    expect(
      allocateOldestFirst(50, 'EUR', [inv('z', '2025-01-01', 0), inv('y', '2026-01-01', 80)]).lines,
    ).toEqual([{ invoiceId: 'y', amount: 50 }]);
  });

  it('breaks due-date ties on the invoice number in natural order (F-9 before F-10)', () => {
    const tie = [inv('x', '2026-01-01', 10, 'EUR', 'F-10'), inv('y', '2026-01-01', 10, 'EUR', 'F-9')];
    expect(allocateOldestFirst(10, 'EUR', tie).lines).toEqual([{ invoiceId: 'y', amount: 10 }]);
    expect(imputationOrder(tie).map((i) => i.invoiceNumber)).toEqual(['F-9', 'F-10']);
  });

  it('refuses an invoice in another currency', () => {
    expect(() => allocateOldestFirst(10, 'EUR', [inv('u', '2026-01-01', 10, 'USD')])).toThrow(
      AllocationError,
    );
  });

  it('refuses a negative or fractional amount', () => {
    expect(() => allocateOldestFirst(-1, 'EUR', invoices)).toThrow(AllocationError);
    expect(() => allocateOldestFirst(1.5, 'EUR', invoices)).toThrow(AllocationError);
  });

  it('allocates one cent to the oldest invoice', () => {
    expect(allocateOldestFirst(1, 'EUR', invoices).lines).toEqual([{ invoiceId: 'a', amount: 1 }]);
  });

  it('does not change the caller’s invoice list', () => {
    const list = [inv('c', '2026-03-01', 300), inv('a', '2026-01-01', 100)];
    allocateOldestFirst(400, 'EUR', list);
    expect(list.map((i) => [i.id, i.balance])).toEqual([
      ['c', 300],
      ['a', 100],
    ]);
  });
});

describe('checkExplicitAllocations', () => {
  const invoices = [
    inv('a', '2026-01-01', 100),
    inv('b', '2026-02-01', 200),
    inv('u', '2026-01-01', 50, 'USD'),
  ];

  it('accepts the debtor’s choice, even when it is not the oldest invoice', () => {
    expect(checkExplicitAllocations(250, 'EUR', [{ invoiceId: 'b', amount: 200 }], invoices)).toEqual({
      lines: [{ invoiceId: 'b', amount: 200 }],
      allocated: 200,
      unallocated: 50,
    });
  });

  it('merges two lines on one invoice', () => {
    const r = checkExplicitAllocations(
      100,
      'EUR',
      [
        { invoiceId: 'a', amount: 30 },
        { invoiceId: 'a', amount: 20 },
      ],
      invoices,
    );
    expect(r.lines).toEqual([{ invoiceId: 'a', amount: 50 }]);
  });

  it('refuses more than the invoice balance', () => {
    expect(() => checkExplicitAllocations(500, 'EUR', [{ invoiceId: 'a', amount: 101 }], invoices)).toThrow(
      /exceeds its balance/,
    );
  });

  it('refuses allocations adding up to more than the payment', () => {
    expect(() =>
      checkExplicitAllocations(
        150,
        'EUR',
        [
          { invoiceId: 'a', amount: 100 },
          { invoiceId: 'b', amount: 100 },
        ],
        invoices,
      ),
    ).toThrow(/more than the payment/);
  });

  it('refuses a currency mismatch, an unknown invoice and a zero line', () => {
    expect(() => checkExplicitAllocations(50, 'EUR', [{ invoiceId: 'u', amount: 50 }], invoices)).toThrow(
      /USD/,
    );
    expect(() => checkExplicitAllocations(50, 'EUR', [{ invoiceId: 'nope', amount: 50 }], invoices)).toThrow(
      /not an open invoice/,
    );
    expect(() => checkExplicitAllocations(50, 'EUR', [{ invoiceId: 'a', amount: 0 }], invoices)).toThrow(
      /positive/,
    );
  });
});
