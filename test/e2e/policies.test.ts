import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, demoToday, populateDemo } from '../../src/demo/seed.js';
import { addDays, isWorkingDay, zonedInstant } from '../../src/domain/calendar/index.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { planDunningRun } from '../../src/services/dunning/plan-dunning-run.js';
import { updateDunningSettings } from '../../src/services/dunning/update-dunning-settings.js';
import type { TestDb } from '../helpers/db.js';
import { hasChromium, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';

/**
 * The run is planned at 10:00 in Paris on the first working day from today on, inside the
 * send window whatever day the test runs. The server keeps the real clock: a session cookie
 * issued on a fixed past date would already be expired for the browser.
 */
function planInstant(): Date {
  let d = demoToday();
  while (!isWorkingDay(d, 'FR')) d = addDays(d, 1);
  return zonedInstant(d, 10, 0, 'Europe/Paris');
}

describe.skipIf(!hasChromium)('web app in Chromium: edit a policy, preview it, approve the next run', () => {
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
        await populateDemo(t.db, org.id, { customers: 30, invoices: 200, seed: 7 });
        await ensureDemoUser(t.db, org.id);
        // Today's run planned with approval on: its automatic sends wait for a user.
        await updateDunningSettings(t.db, org.id, { requireApproval: true });
        const plan = await planDunningRun(t.db, org.id, { now: planInstant(), dryRun: false });
        expect(plan.outboxRowsInserted).toBeGreaterThan(0);
      },
      page: { viewport: { width: 1280, height: 1000 }, locale: 'fr-FR' },
    });
    ({ t, base, page } = web);
    await signInAsDemo(page, base);
    await page.getByRole('link', { name: 'Politiques' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  it("edits a step's delay, sees the preview follow the draft, and saves a new version", async () => {
    await page.getByRole('link', { name: 'Politiques' }).click();
    await page.getByTestId('policy-steps').waitFor();
    expect(await page.getByTestId('policy-version').textContent()).toBe('version 1');
    const step = page.getByTestId('preview-step');
    await expect.poll(() => step.textContent()).toContain('Première relance — J+7');
    expect(await page.getByTestId('preview-text').textContent()).toMatch(/\S/);

    await page.getByLabel('Délai (jours après échéance) — Première relance').fill('10');
    await expect.poll(() => step.textContent()).toContain('J+10');
    expect(await step.textContent()).toContain('brouillon');

    await page.getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('v2');
    await expect.poll(() => page.getByTestId('policy-version').textContent()).toBe('version 2');
    // Saved: the preview now renders the stored version 2, no longer a draft.
    await expect.poll(() => step.textContent()).not.toContain('brouillon');
    expect(await step.textContent()).toContain('J+10');
    await page.screenshot({ path: `${shots}/web-policies.png`, fullPage: true });

    const versions = await t.db
      .selectFrom('dunning_policies')
      .select(['version', 'definition'])
      .where('org_id', '=', orgId)
      .where('key', '=', 'FR-B2B-standard')
      .orderBy('version')
      .execute();
    const offsets = versions.map((v) =>
      (v.definition as unknown as { steps: { offsetDays: number }[] }).steps.map((s) => s.offsetDays),
    );
    expect(offsets).toEqual([
      [-5, 7, 15, 30, 45],
      [-5, 10, 15, 30, 45],
    ]);
  });

  it('shows what the next run will send and approves one customer', async () => {
    await page.getByRole('link', { name: 'Prochaine relance' }).click();
    // The run preview has loaded (tomorrow may have nothing new: today's plan is awaiting approval).
    await expect
      .poll(() => page.getByTestId('run-summary').textContent(), { timeout: 60_000 })
      .toMatch(/\d+ envoi\(s\) prévu\(s\) pour \d+ client\(s\) examiné\(s\), \d+ reporté\(s\)/);
    expect(await page.getByTestId('approval-mode').textContent()).toContain('Validation requise');
    const rows = page.getByTestId('approvals-table').locator('tbody tr');
    await rows.first().waitFor();
    const before = await rows.count();
    const name = (await rows.first().getAttribute('data-customer')) as string;
    await page.screenshot({ path: `${shots}/web-run-preview.png`, fullPage: true });

    await page.getByRole('button', { name: `Valider ${name}` }).click();
    await expect.poll(() => rows.count()).toBe(before - 1);
    const decided = await t.db
      .selectFrom('dunning_actions as a')
      .innerJoin('customers as c', (j) =>
        j.onRef('c.org_id', '=', 'a.org_id').onRef('c.id', '=', 'a.customer_id'),
      )
      .select(['a.status', 'a.decided_by'])
      .where('a.org_id', '=', orgId)
      .where('c.name', '=', name)
      .where('a.kind', '=', 'send')
      .execute();
    expect(decided.length).toBeGreaterThan(0);
    for (const d of decided) {
      expect(d.status).toBe('planned');
      expect(d.decided_by).toMatch(/^user:/);
    }
  });
});
