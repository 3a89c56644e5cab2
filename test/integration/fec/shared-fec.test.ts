import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFec } from '../../../src/services/imports/import-fec.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { sharedSamples } from '../../helpers/shared-data.js';
import { count, newOrg } from '../imports/helpers.js';

const dir = sharedSamples('fec');

describe.skipIf(!dir)('the shared FEC samples', () => {
  describeEngines('FEC import of two packages', (engine) => {
    let t: TestDb;
    beforeAll(async () => {
      t = await createTestDb(engine);
    });
    afterAll(async () => t.drop());

    const file = (name: string) => readFileSync(join(dir ?? '', name));

    it('imports the Quadra FEC (auxiliary accounts, lettering), reconciles every customer, re-imports as a no-op', async () => {
      const org = await newOrg(t);
      const input = file('ekylibre_quadra_123456789FEC20190731.txt');
      const s = await importFec(t.db, org, { input, filename: 'quadra.txt' });
      expect(s.status).toBe('committed');
      expect(s.errors).toEqual([]);
      expect(s.rowsRead).toBe(12_605);
      expect(s.accepted + s.rejected).toBe(s.rowsRead);
      expect(s.dialect).toMatchObject({ separator: 'tab', encoding: 'utf-8', amounts: 'debit-credit' });
      expect(s.receivableLines).toBe(3_310);
      expect(s.reconciliation.mismatches).toEqual([]);
      expect(s.reconciliation.matched).toBe(s.customers.inFile);
      expect(s.customers.created).toBe(s.customers.inFile);
      expect(s.invoices.created + s.creditNotes.created + s.payments.created + s.skipped.length).toBe(3_310);
      expect(s.allocations.created).toBeGreaterThan(1_500);
      // VE000001: 303,00 to MICOULAZ Michel, piece 180879, lettered AA with its payment.
      const paid = await sql<{ balance_minor: number; status: string; gross_minor: number }>`
        select balance_minor, status, gross_minor from invoices where org_id = ${org} and invoice_number = '180879'`.execute(
        t.db,
      );
      expect(paid.rows[0]).toEqual({ balance_minor: 0, status: 'paid', gross_minor: 30300 });
      expect(await count(t, 'customers', org)).toBe(s.customers.inFile);

      // The books' total receivable equals Relance's: invoices' balances less unallocated credit.
      const held = await sql<{ open: number }>`
        select (select coalesce(sum(balance_minor), 0) from invoices where org_id = ${org})
          - (select coalesce(sum(unallocated_minor), 0) from payments where org_id = ${org})
          - (select coalesce(sum(unallocated_minor), 0) from credit_notes where org_id = ${org}) as open`.execute(
        t.db,
      );
      const books = readFileSync(join(dir ?? '', 'ekylibre_quadra_123456789FEC20190731.txt'), 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'))
        .filter((c) => (c[4] ?? '').startsWith('411'))
        .reduce((sum, c) => {
          // Independent of the reader: "777,18" → 77718 by string surgery, no float.
          const cents = (v: string | undefined) => {
            const [units = '0', dec = ''] = (v ?? '').split(',');
            return Number(units || '0') * 100 + Number(dec.padEnd(2, '0'));
          };
          return sum + cents(c[11]) - cents(c[12]);
        }, 0);
      expect(Number(held.rows[0]?.open)).toBe(books);

      const again = await importFec(t.db, org, { input, filename: 'quadra.txt' });
      expect(again).toMatchObject({
        status: 'committed',
        customers: { created: 0 },
        invoices: { created: 0, updated: 0 },
        creditNotes: { created: 0, updated: 0 },
        payments: { created: 0, updated: 0 },
        allocations: { created: 0, removed: 0 },
        flaggedDisappeared: 0,
      });
      expect(again.reconciliation.mismatches).toEqual([]);
    });

    it('imports the Agrigest FEC (space-padded fields, signed amounts, no auxiliary accounts)', async () => {
      const org = await newOrg(t);
      const s = await importFec(t.db, org, { input: file('ekylibre_agrigest_123456789FEC20230331.txt') });
      expect(s.status).toBe('committed');
      expect(s.errors).toEqual([]);
      expect(s.unbalanced).toEqual([]);
      expect(s.reconciliation.mismatches).toEqual([]);
      // Individual 411xxx accounts are the customers when no auxiliary account is used.
      const refs = await sql<{ external_ref: string; name: string }>`
        select external_ref, name from customers where org_id = ${org} order by external_ref`.execute(t.db);
      expect(refs.rows.map((r) => r.external_ref)).toContain('41115200');
      expect(refs.rows.find((r) => r.external_ref === '41115200')?.name).toBe('CLIENTS  Bigot');
      expect(s.skipped.every((x) => /zero amount/.test(x.reason))).toBe(true);
      const again = await importFec(t.db, org, { input: file('ekylibre_agrigest_123456789FEC20230331.txt') });
      expect(again.invoices.created + again.payments.created + again.allocations.created).toBe(0);
    });
  });
});
