import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewImport } from '../../../src/services/imports/preview-import.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { count, csv, invoiceRow, newOrg, run } from './helpers.js';

const US = readFileSync(join(import.meta.dirname, '../../fixtures/imports/invoices-us.csv'));

async function disputesOf(t: TestDb, org: string) {
  const r = await sql<{ invoice_number: string; status: string; disputed: boolean; reason_code: string }>`
    select i.invoice_number, d.status, i.disputed, d.reason_code
    from disputes d join invoices i on i.org_id = d.org_id and i.id = d.invoice_id
    where d.org_id = ${org} order by i.invoice_number`.execute(t.db);
  return r.rows;
}

describeEngines('the US-dated AR file (issue 17 §3)', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => t.drop());

  it('imports invoices, month/day dates, payments on the settled dates and disputes', async () => {
    const org = await newOrg(t);
    const s = await run(t, org, 'invoices', US, {
      mode: 'all-or-nothing',
      filename: 'invoices-us.csv',
      createCustomers: true,
    });
    expect(s.errors).toEqual([]);
    expect(s).toMatchObject({ status: 'committed', rowsRead: 20, accepted: 20, rejected: 0, created: 20 });
    expect(s.rowsRead).toBe(s.accepted + s.rejected);
    expect(s.customersCreated).toBe(5);
    expect(s.disputesOpened).toBe(2);
    expect(s.columns).toMatchObject({
      customerID: 'customerRef',
      invoiceNumber: 'invoiceNumber',
      InvoiceDate: 'issueDate',
      DueDate: 'dueDate',
      InvoiceAmount: 'gross',
      Disputed: 'disputed',
      SettledDate: 'settledDate',
    });
    expect(s.dateColumns?.InvoiceDate).toEqual({ order: 'month/day', decidedBy: '"1/24/2013" on line 3' });
    expect(s.dateColumns?.SettledDate?.order).toBe('month/day');

    const inv = await sql<{ issue_date: string; due_date: string; gross_minor: number; status: string }>`
      select issue_date::text, due_date::text, gross_minor::int, status from invoices
      where org_id = ${org} and invoice_number = '611365'`.execute(t.db);
    expect(inv.rows[0]).toEqual({
      issue_date: '2013-01-10',
      due_date: '2013-02-09',
      gross_minor: 8785,
      status: 'paid',
    });
    // Settled: one payment of the whole amount on SettledDate, allocated to the invoice.
    const pay = await sql<{ received_on: string; amount_minor: number; allocated: number }>`
      select p.received_on::text, p.amount_minor::int, a.amount_minor::int as allocated
      from payments p join allocations a on a.org_id = p.org_id and a.payment_id = p.id
      join invoices i on i.org_id = a.org_id and i.id = a.invoice_id
      where p.org_id = ${org} and i.invoice_number = '611421'`.execute(t.db);
    expect(pay.rows).toEqual([{ received_on: '2013-07-04', amount_minor: 10730, allocated: 10730 }]);
    expect(await count(t, 'payments', org)).toBe(16);
    // Unsettled: open for its full amount.
    expect(await invoiceRow(t, org, '611393')).toMatchObject({ balance_minor: 6135, paid_minor: 0 });
    // Disputed and unpaid: a dispute through openDisputes (flag, dispute row, task).
    expect(await disputesOf(t, org)).toEqual([
      { invoice_number: '611442', status: 'open', disputed: true, reason_code: 'other' },
      { invoice_number: '611498', status: 'open', disputed: true, reason_code: 'other' },
    ]);
    expect(await invoiceRow(t, org, '611442')).toMatchObject({ status: 'disputed', balance_minor: 3341 });
    const tasks = await sql<{ n: number }>`
      select count(*)::int as n from tasks where org_id = ${org} and kind = 'dispute'`.execute(t.db);
    expect(tasks.rows[0]?.n).toBe(2);
    // Disputed but settled (611379): nothing left to collect, no dispute opened.
    expect(await invoiceRow(t, org, '611379')).toMatchObject({ status: 'paid' });

    // The same file again (as a stream, spooled for the two passes): nothing changes.
    const again = await run(t, org, 'invoices', Readable.from([US]) as unknown as Buffer, {
      mode: 'all-or-nothing',
      createCustomers: true,
    });
    expect(again).toMatchObject({ status: 'committed', rowsRead: 20, created: 0, updated: 0, unchanged: 20 });
    expect(again.disputesOpened).toBe(0);
    expect(await count(t, 'payments', org)).toBe(16);
    expect(await count(t, 'disputes', org)).toBe(2);
  });

  it('refuses a file whose dates read both ways, and reads it with --date-format', async () => {
    const org = await newOrg(t);
    const file = csv([
      'customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount',
      'C1,A1,03/04/2013,05/06/2013,10.00',
      'C1,A2,04/05/2013,06/07/2013,20.00',
    ]);
    await expect(run(t, org, 'invoices', file, { createCustomers: true })).rejects.toThrow(
      /every date reads both as day\/month and month\/day.*--date-format/,
    );
    expect(await count(t, 'invoices', org)).toBe(0);
    const s = await run(t, org, 'invoices', file, { createCustomers: true, dateFormat: 'MM/DD/YYYY' });
    expect(s).toMatchObject({ rowsRead: 2, accepted: 2, rejected: 0 });
    expect(await invoiceRow(t, org, 'A1')).toMatchObject({ due_date: '2013-05-06' });
    const d = await sql<{ issue_date: string }>`
      select issue_date::text from invoices where org_id = ${org} and invoice_number = 'A2'`.execute(t.db);
    expect(d.rows[0]?.issue_date).toBe('2013-04-05');
  });

  it('never reads a column half one way: mixed orders are refused before anything is written', async () => {
    const org = await newOrg(t);
    const file = csv([
      'customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount',
      'C1,B1,1/26/2013,2/25/2013,10.00',
      'C1,B2,26/1/2013,25/2/2013,20.00',
    ]);
    const err = await run(t, org, 'invoices', file, { createCustomers: true }).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/mixes day-first dates \("26\/1\/2013", line 3\)/);
    expect(await count(t, 'invoices', org)).toBe(0);
  });

  it('an undecided column takes the order of the other date columns of the file', async () => {
    const org = await newOrg(t);
    const file = csv([
      'customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount',
      'C1,D1,3/4/2013,4/13/2013,10.00',
    ]);
    const s = await run(t, org, 'invoices', file, { createCustomers: true });
    expect(s.dateColumns?.InvoiceDate).toEqual({
      order: 'month/day',
      decidedBy: 'column "DueDate" of the same file',
    });
    const d = await sql<{ issue_date: string }>`
      select issue_date::text from invoices where org_id = ${org} and invoice_number = 'D1'`.execute(t.db);
    expect(d.rows[0]?.issue_date).toBe('2013-03-04');
  });

  it('reads amounts with --decimal-separator and rejects flags and amounts that do not read', async () => {
    const org = await newOrg(t);
    const file = csv([
      'customerID;invoiceNumber;InvoiceDate;DueDate;InvoiceAmount;Disputed',
      'C1;E1;2013-01-02;2013-02-01;1.234,50;Non',
      'C1;E2;2013-01-02;2013-02-01;1,234.50;Oui',
      'C1;E3;2013-01-02;2013-02-01;12,5;maybe',
    ]);
    const s = await run(t, org, 'invoices', file, { createCustomers: true, decimalSeparator: ',' });
    expect(s).toMatchObject({ rowsRead: 3, accepted: 1, rejected: 2 });
    expect(s.rowsRead).toBe(s.accepted + s.rejected);
    expect(await invoiceRow(t, org, 'E1')).toMatchObject({ gross_minor: 123450 });
    expect(s.errors).toEqual([
      expect.objectContaining({ line: 3, column: 'InvoiceAmount', value: '1,234.50' }),
      expect.objectContaining({ line: 4, column: 'Disputed', value: 'maybe' }),
    ]);
    expect(s.disputesOpened).toBe(0);
  });

  it('the preview shows an undecided date order as a problem to fix, then reads it with dateFormat', async () => {
    const org = await newOrg(t);
    const input = csv([
      'customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount',
      'C1,P1,03/04/2013,05/06/2013,1',
    ]);
    const p = await previewImport(t.db, org, { entity: 'invoices', input, filename: 'f.csv' });
    expect(p.mappingProblems).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'InvoiceDate',
        reason: expect.stringMatching(/--date-format/),
      }),
      expect.objectContaining({ line: 2, column: 'DueDate' }),
    ]);
    const ok = await previewImport(t.db, org, {
      entity: 'invoices',
      input,
      filename: 'f.csv',
      dateFormat: 'MM/DD/YYYY',
    });
    expect(ok).toMatchObject({ mappingProblems: [], rowsRead: 1 });
  });

  it('refuses an unknown --date-format or --decimal-separator by name', async () => {
    const org = await newOrg(t);
    await expect(run(t, org, 'invoices', US, { dateFormat: 'YY.DD' })).rejects.toThrow(
      /--date-format "YY.DD"/,
    );
    await expect(run(t, org, 'invoices', US, { decimalSeparator: ';' })).rejects.toThrow(
      /--decimal-separator ";"/,
    );
  });
});

describe('sanity', () => {
  it('the fixture has about twenty US-dated rows', () => {
    expect(US.toString('utf8').trim().split('\n')).toHaveLength(21);
  });
});
