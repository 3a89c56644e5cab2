import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOrg } from '../../src/db/connection.js';
import { createDemoOrganisation } from '../../src/demo/seed.js';
import { addDays, zonedParts } from '../../src/domain/calendar/index.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { pauseCustomer } from '../../src/services/cases/pause-customer.js';
import { logCall } from '../../src/services/worklist/log-call.js';
import type { TestDb } from '../helpers/db.js';
import { makeCustomers, makeInvoices } from '../integration/api/factories.js';
import { hasChromium, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';

describe.skipIf(!hasChromium)('case actions in Chromium: resolve a dispute, end a pause', () => {
  let t: TestDb;
  let web: WebApp;
  let page: Page;
  let base: string;
  let orgId: string;
  let customerId: string;
  let disputeId: string;
  let pauseId: string;

  beforeAll(async () => {
    web = await startWebApp({
      seed: async (t) => {
        orgId = (await createDemoOrganisation(t.db)).id;
        await ensureDemoUser(t.db, orgId);
        const [customer] = await makeCustomers(t.db, orgId, 1, () => ({ name: 'Litiges & Pauses SARL' }));
        customerId = customer?.id as string;
        const today = zonedParts(new Date(), 'Europe/Paris').date;
        const invoices = await makeInvoices(t.db, orgId, [customerId], 2, (i) => ({
          invoice_number: `E2E-${i + 1}`,
          issue_date: addDays(today, -60),
          due_date: addDays(today, -30),
          gross_minor: 120_000,
        }));
        // The factory returns rows in no particular order: pick the one the test names.
        const disputed = invoices.find((i) => i.invoice_number === 'E2E-1');
        const actor = { keyId: 'e2e-setup' };
        await withOrg(t.db, orgId, async (trx) => {
          const call = await logCall(
            trx,
            orgId,
            customerId,
            { outcome: 'dispute', invoiceId: disputed?.id, disputeReason: 'quality', note: 'Rayures' },
            actor,
            new Date(),
          );
          disputeId = call.disputeId as string;
          const pause = await pauseCustomer(
            trx,
            orgId,
            customerId,
            { until: addDays(today, 10), reason: 'Négociation' },
            actor,
            new Date(),
          );
          pauseId = pause.pauseId;
        });
      },
      page: { viewport: { width: 1280, height: 1000 }, locale: 'fr-FR' },
    });
    ({ t, base, page } = web);
  });

  afterAll(async () => {
    await web?.close();
  });

  it('rejects the dispute (the missing reason shown next to its field first), then ends the account pause', async () => {
    await signInAsDemo(page, base);
    await page.getByRole('link', { name: 'À traiter' }).waitFor();
    await page.goto(`${base}/customers/${customerId}`);
    const box = page.getByTestId('case-actions');
    await box.getByRole('heading', { name: 'Suivi du dossier' }).waitFor();

    const dispute = box.locator(`[data-dispute="${disputeId}"]`);
    await dispute.getByRole('button', { name: 'Traiter le litige' }).click();
    const dialog = page.getByRole('dialog', { name: /Traiter le litige sur la facture E2E-1/ });
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    const reasonError = dialog.locator('#case-resolve-reason-error');
    await reasonError.waitFor();
    expect(await dialog.getByLabel('Motif').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Motif').fill('Pièces conformes à la commande');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => dispute.getByTestId('dispute-status').textContent()).toBe('rejeté');
    expect(await dispute.getByRole('button', { name: 'Traiter le litige' }).count()).toBe(0);

    const pause = box.locator(`[data-pause="${pauseId}"]`);
    await pause.getByRole('button', { name: 'Lever la pause' }).click();
    const endDialog = page.getByRole('dialog', { name: 'Lever la pause' });
    await endDialog.getByLabel('Motif (facultatif)').fill('Accord trouvé');
    await endDialog.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => pause.textContent()).toContain('levée le');
    await box.getByRole('status').filter({ hasText: 'Enregistré.' }).waitFor();
    await page.screenshot({ path: `${shots}/web-case-actions.png`, fullPage: true });

    const d = await t.db
      .selectFrom('disputes')
      .select(['status', 'resolution', 'resolved_by'])
      .where('id', '=', disputeId)
      .executeTakeFirstOrThrow();
    expect(d).toMatchObject({ status: 'rejected', resolution: 'Pièces conformes à la commande' });
    expect(d.resolved_by).toMatch(/^user:/);
    const p = await t.db
      .selectFrom('dunning_pauses')
      .select(['cancelled_at', 'cancel_reason'])
      .where('id', '=', pauseId)
      .executeTakeFirstOrThrow();
    expect(p.cancelled_at).not.toBeNull();
    expect(p.cancel_reason).toBe('Accord trouvé');
    // The timeline on the same page shows both, newest first.
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.locator('li').first().textContent()).toContain('ended early');
    expect(await timeline.textContent()).toContain('E2E-1 rejected');
  });
});
