import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, populateDemo } from '../../src/demo/seed.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import type { TestDb } from '../helpers/db.js';
import { hasChromium, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';

describe.skipIf(!hasChromium)('web app in Chromium: edit a step template with a live preview', () => {
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
        await populateDemo(t.db, org.id, { customers: 10, invoices: 60, seed: 7 });
        await ensureDemoUser(t.db, org.id);
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

  it('changes the subject, sees it in the preview, shows a server error next to the field, saves', async () => {
    await page.getByRole('link', { name: 'Politiques' }).click();
    const rows = page.getByTestId('policy-steps').locator('tbody tr');
    await rows.nth(1).waitFor();
    await rows.nth(1).getByRole('button', { name: 'Modifier le modèle' }).click();
    const editor = page.getByTestId('template-editor');
    await editor.waitFor();
    const subject = page.getByTestId('tpl-subject');
    // Pre-filled with the default source.
    await expect.poll(() => subject.inputValue()).toContain('{{organisation.name}}');
    const previewSubject = page.getByTestId('tpl-preview-subject');
    await expect.poll(() => previewSubject.textContent()).toMatch(/^Relance : /);

    await subject.fill('{{client.nom}}');
    await expect
      .poll(() => page.getByTestId('tpl-subject-error').textContent())
      .toContain('unknown variable "client.nom"');

    await subject.fill('Relance maison {{first.number}} – {{organisation.name}}');
    await expect.poll(() => previewSubject.textContent()).toMatch(/^Relance maison \S+ – /);
    expect(await page.getByTestId('tpl-subject-error').count()).toBe(0);

    await page.getByRole('button', { name: 'Enregistrer le modèle' }).click();
    await expect.poll(() => page.getByTestId('tpl-saved').textContent()).toContain('v1');
    // The step preview below (stored templates, no draft) now shows the saved subject too.
    await expect.poll(() => page.getByTestId('step-preview').textContent()).toContain('Relance maison');
    await page.screenshot({ path: `${shots}/web-templates.png`, fullPage: true });

    const stored = await t.db
      .selectFrom('message_templates')
      .select(['template_key', 'locale', 'version', 'subject', 'html', 'updated_by'])
      .where('org_id', '=', orgId)
      .execute();
    expect(stored).toEqual([
      {
        template_key: 'first_reminder',
        locale: 'fr',
        version: 1,
        subject: 'Relance maison {{first.number}} – {{organisation.name}}',
        html: null,
        updated_by: expect.stringMatching(/^user:/),
      },
    ]);

    await page.getByRole('button', { name: 'Revenir au modèle par défaut' }).click();
    await expect.poll(() => page.getByTestId('tpl-saved').textContent()).toContain('v2');
    await expect.poll(() => previewSubject.textContent()).toMatch(/^Relance : /);
  });
});
