import { writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation } from '../../src/demo/seed.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { importFile } from '../../src/services/imports/import-file.js';
import type { TestDb } from '../helpers/db.js';
import { hasChromium, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';

// Every date reads both ways: the screen must say so and let the user choose (issue 17 §3).
const FILE =
  'customerID;invoiceNumber;InvoiceDate;DueDate;InvoiceAmount\nUSD-1;US-1;03/04/2026;05/04/2026;10.50\n';

describe.skipIf(!hasChromium)('import screen: the date format of a file whose dates read both ways', () => {
  let t: TestDb;
  let web: WebApp;
  let page: Page;
  let base: string;
  let orgId: string;

  beforeAll(async () => {
    web = await startWebApp({
      seed: async (t) => {
        const org = await createDemoOrganisation(t.db);
        orgId = org.id;
        await ensureDemoUser(t.db, org.id);
        await importFile(t.db, org.id, {
          entity: 'customers',
          input: Buffer.from('Code client;Raison sociale\nUSD-1;Acme Inc\n'),
          format: 'csv',
          mode: 'all-or-nothing',
        });
      },
      page: { viewport: { width: 1280, height: 1000 }, locale: 'fr-FR' },
    });
    ({ t, base, page } = web);
  });
  afterAll(async () => {
    await web?.close();
  });

  it('shows the undecided order, then imports month/day once MM/JJ/AAAA is chosen', async () => {
    await signInAsDemo(page, base);
    const file = `${shots}/factures-us-e2e.csv`;
    writeFileSync(file, FILE);
    await page.goto(`${base}/import`);
    await page.locator('select[name="entity"]').selectOption('invoices');
    await page.locator('input[name="file"]').setInputFiles(file);
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await page
      .getByText(/every date reads both as day\/month and month\/day/)
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: 'Importer les lignes valides' }).isDisabled()).toBe(true);

    await page.getByLabel('Format des dates').selectOption('MM/DD/YYYY');
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await page.getByTestId('import-summary').waitFor();
    await page.getByRole('button', { name: 'Importer les lignes valides' }).click();
    await page.getByText('Import terminé : 1 lignes importées, 0 rejetées.').waitFor();
    const r = await sql<{ issue_date: string; due_date: string }>`
      select issue_date::text, due_date::text from invoices
      where org_id = ${orgId} and invoice_number = 'US-1'`.execute(t.db);
    expect(r.rows).toEqual([{ issue_date: '2026-03-04', due_date: '2026-05-04' }]);
  });
});
