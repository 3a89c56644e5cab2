import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation } from '../../src/demo/seed.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { importBodacc } from '../../src/services/solvency/import-bodacc.js';
import type { TestDb } from '../helpers/db.js';
import { makeCustomers, makeInvoices } from '../integration/api/factories.js';
import { readPdf } from '../unit/channels/pdf-text.js';
import { hasChromium, root, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';

describe.skipIf(!hasChromium)('insolvency banner and claim declaration in Chromium', () => {
  let t: TestDb;
  let web: WebApp;
  let page: Page;
  let base: string;
  let customerId: string;

  beforeAll(async () => {
    web = await startWebApp({
      seed: async (t) => {
        const orgId = (await createDemoOrganisation(t.db)).id;
        await ensureDemoUser(t.db, orgId);
        const [customer] = await makeCustomers(t.db, orgId, 1, () => ({
          name: 'Atelier Vauban SAS',
          siren: '732829320',
        }));
        customerId = customer?.id as string;
        await makeInvoices(
          t.db,
          orgId,
          [customerId],
          2,
          (i) =>
            [
              {
                invoice_number: 'E2E-AVANT',
                issue_date: '2026-01-05',
                due_date: '2026-02-04',
                gross_minor: 120_000,
              },
              {
                invoice_number: 'E2E-APRES',
                issue_date: '2026-02-26',
                due_date: '2026-03-28',
                gross_minor: 30_000,
              },
            ][i] ?? {},
        );
        await importBodacc(
          t.db,
          orgId,
          readFileSync(join(root, 'test/fixtures/solvency/bodacc-dila-export.json'), 'utf8'),
          {
            now: new Date('2026-03-20T10:00:00Z'),
          },
        );
      },
      page: { viewport: { width: 1280, height: 1100 }, locale: 'fr-FR' },
    });
    ({ t, base, page } = web);
  });

  afterAll(async () => {
    await web?.close();
  });

  it('shows the banner in French, generates the declaration and downloads it', async () => {
    await signInAsDemo(page, base);
    await page.getByRole('link', { name: 'À traiter' }).waitFor();
    await page.goto(`${base}/customers/${customerId}`);
    const banner = page.getByTestId('insolvency-banner');
    await banner.waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (line breaks between blocks) is what is asserted
    const text = (await banner.innerText()).replace(/\u202f|\u00a0/g, ' ');
    expect(text).toContain('Procédure collective en cours — Ouverture d’un redressement judiciaire');
    expect(text).toContain('L622-21');
    expect(text).toMatch(/Créances antérieures, à déclarer : 1 — 1 200,00 €/);
    expect(text).toMatch(/Créances postérieures \(art\. L622-17\), relancées normalement : 1 — 300,00 €/);
    expect(text).toContain('Déclarer la créance au mandataire avant le 4 mai 2026');
    await page
      .getByTestId('solvency-panel')
      .getByText('Ouverture d’un redressement judiciaire')
      .first()
      .waitFor();

    await banner.getByRole('button', { name: 'Générer la déclaration de créance' }).click();
    const link = banner.getByTestId('declaration-link');
    await link.waitFor();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/documents\/[0-9a-f-]+\/content$/);
    // The browser's session downloads it like a click would.
    const body = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return {
        type: r.headers.get('content-type'),
        bytes: Array.from(new Uint8Array(await r.arrayBuffer())),
      };
    }, href as string);
    expect(body.type).toBe('application/pdf');
    const pdf = await readPdf(Buffer.from(body.bytes));
    const all = pdf.text.join('\n').replace(/\u202f|\u00a0/g, ' ');
    expect(all).toMatch(/Total échu.*1 200,00 €/);
    expect(all).toContain('Maître Claire Martin');
    await page.screenshot({ path: `${shots}/solvency-banner.png`, fullPage: true });
    expect(t).toBeDefined();
  });
});
