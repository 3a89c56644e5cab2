import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordPayment } from '../../../src/services/payments/record-payment.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { CUSTOMERS, csv, invoiceRow, newOrg, run } from './helpers.js';

describeEngines('recordPayment', (engine) => {
  let t: TestDb;
  let org: string;
  beforeAll(async () => {
    t = await createTestDb(engine);
    org = await newOrg(t);
    await run(t, org, 'customers', CUSTOMERS);
    await run(
      t,
      org,
      'invoices',
      csv([
        'invoice,customer code,issue date,due date,gross',
        'R-1,C001,2026-01-01,2026-01-31,100',
        'R-2,C001,2026-01-01,2026-01-10,100',
        'R-3,C002,2026-01-01,2026-01-31,100',
      ]),
    );
  });
  afterAll(async () => t.drop());

  it('settles the oldest due invoice first when the payer names none', async () => {
    const p = await recordPayment(t.db, org, {
      customerRef: 'C001',
      paymentReference: 'RP-1',
      receivedOn: '2026-02-01',
      amount: 15000,
    });
    expect(p.allocations.map((a) => [a.invoiceNumber, a.amount])).toEqual([
      ['R-2', 10000],
      ['R-1', 5000],
    ]);
    expect(p.unallocated).toBe(0);
    expect(await invoiceRow(t, org, 'R-1')).toMatchObject({ balance_minor: 5000, status: 'partially_paid' });
  });

  it('follows explicit allocations and keeps the rest as credit', async () => {
    const p = await recordPayment(t.db, org, {
      customerRef: 'C002',
      paymentReference: 'RP-2',
      receivedOn: '2026-02-01',
      amount: 12000,
      allocations: [{ invoiceNumber: 'R-3', amount: 10000 }],
    });
    expect(p.unallocated).toBe(2000);
    expect(p.invoices).toEqual([
      expect.objectContaining({ invoiceNumber: 'R-3', balance: 0, status: 'paid' }),
    ]);
  });

  it('refuses a second payment with the same reference and a currency mismatch', async () => {
    await expect(
      recordPayment(t.db, org, {
        customerRef: 'C001',
        paymentReference: 'RP-1',
        receivedOn: '2026-02-01',
        amount: 1,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      recordPayment(t.db, org, {
        customerRef: 'C001',
        paymentReference: 'RP-3',
        receivedOn: '2026-02-01',
        amount: 100,
        currency: 'USD',
        allocations: [{ invoiceNumber: 'R-1', amount: 100 }],
      }),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    expect(await invoiceRow(t, org, 'R-1')).toMatchObject({ balance_minor: 5000 });
  });

  it('keeps a payment unallocated when asked', async () => {
    const p = await recordPayment(t.db, org, {
      customerRef: 'C001',
      paymentReference: 'RP-4',
      receivedOn: '2026-02-01',
      amount: 700,
      allocation: 'none',
    });
    expect(p).toMatchObject({ allocations: [], unallocated: 700 });
  });
});
