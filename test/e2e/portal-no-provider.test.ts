import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOrg } from '../../src/db/connection.js';
import { refreshBalances } from '../../src/db/queries/balances.js';
import { createOrganisation } from '../../src/services/organisations/create-organisation.js';
import { createPortalLink } from '../../src/services/portal/create-portal-link.js';
import { hasChromium, startWebApp, type WebApp } from './browser.js';

/** Issue 13: without a payment provider the portal offers the transfer, never "Payer en ligne". */
describe.skipIf(!hasChromium)('the portal without a payment provider, in Chromium', () => {
  let web: WebApp;
  let customerId = '';
  let orgId = '';

  beforeAll(async () => {
    web = await startWebApp({
      seed: async (t) => {
        orgId = (
          await createOrganisation(t.db, {
            name: 'Sans Prestataire SAS',
            iban: 'FR7630006000011234567890189',
          })
        ).id;
        customerId = (
          await t.db
            .insertInto('customers')
            .values({ org_id: orgId, external_ref: 'NP', name: 'Client NP SARL', kind: 'b2b' })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        await t.db
          .insertInto('invoices')
          .values({
            org_id: orgId,
            customer_id: customerId,
            invoice_number: 'F-NP1',
            issue_date: '2026-10-04',
            due_date: '2026-11-03',
            currency: 'EUR',
            gross_minor: 120_000,
          })
          .execute();
        await refreshBalances(t.db, orgId, { all: true });
      },
      page: { viewport: { width: 800, height: 1000 }, locale: 'fr-FR' },
    });
  }, 120_000);
  afterAll(async () => web?.close());

  it('shows the bank transfer and no "Payer en ligne" button', async () => {
    const { url } = await withOrg(web.t.db, orgId, (trx) =>
      createPortalLink(trx, orgId, { customerId }, { baseUrl: web.base }),
    );
    await web.page.goto(url);
    await web.page.getByTestId('portal-transfer').waitFor();
    expect(await web.page.getByTestId('portal-transfer').textContent()).toContain('FR76');
    expect(await web.page.getByRole('button', { name: 'Payer en ligne' }).count()).toBe(0);
    expect(await web.page.getByText('Payer en ligne').count()).toBe(0);
  });
});
