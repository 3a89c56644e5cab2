import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrganisation } from '../../src/db/queries/organisations.js';
import { createDemoOrganisation } from '../../src/demo/seed.js';
import { semesterOf } from '../../src/domain/law/semesters.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { importRates } from '../../src/services/law/import-rates.js';
import type { TestDb } from '../helpers/db.js';
import { makePng, SVG_LOGO } from '../helpers/images.js';
import { hasChromium, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';

// "Identifiant" is no known header: the user maps it by hand. Line 4 has a bad email.
const CUSTOMERS = [
  'Identifiant;Raison sociale;Ville;Email',
  'K-001;Boulangerie Martin SARL;Lyon;compta@martin.example',
  'K-002;Garage Dupont SAS;Paris;factures@dupont.example',
  'K-003;Mme Claire Petit;Nantes;pas-une-adresse',
].join('\n');

describe.skipIf(!hasChromium)('settings, users and import screens in Chromium', () => {
  let t: TestDb;
  let web: WebApp;
  let page: Page;
  let base: string;
  let orgId: string;
  let invitationLink = '';

  beforeAll(async () => {
    web = await startWebApp({
      seed: async (t) => {
        const org = await createDemoOrganisation(t.db);
        orgId = org.id;
        await ensureDemoUser(t.db, org.id);
        // The built-in taux légal stops at a known semester: give this one a rate, so the
        // penalty floor is checkable whatever day the test runs.
        const semester = semesterOf(new Date().toISOString().slice(0, 10)).start;
        await importRates(
          t.db,
          org.id,
          `series,effective_from,rate,source\nFR_TIL_OTHER,${semester},2.5,e2e\n`,
        );
      },
      page: { viewport: { width: 1280, height: 1000 }, locale: 'fr-FR' },
    });
    ({ t, base, page } = web);
  });

  afterAll(async () => {
    await web?.close();
  });

  it('signs in, shows a server validation error next to the field in French, then saves', async () => {
    await signInAsDemo(page, base);
    await page.getByRole('link', { name: 'Paramètres' }).click();
    await page.getByRole('tab', { name: 'Banque' }).click();
    const iban = page.getByLabel('IBAN', { exact: true });
    await iban.fill('FR76 3000 6000 0112 3456 7890 188');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => iban.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await iban.getAttribute('aria-describedby');
    expect(await page.locator(`#${describedBy}`).textContent()).toContain(
      'La clé de l’IBAN ne correspond pas',
    );

    await iban.fill('FR76 3000 6000 0112 3456 7890 189');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('status').getByText('Enregistré.').waitFor();
    expect((await getOrganisation(t.db, orgId))?.iban).toBe('FR7630006000011234567890189');

    await page.getByRole('tab', { name: 'Conditions et pénalités' }).click();
    await page.getByLabel(/Taux des pénalités/).fill('5');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText(/inférieur au plancher légal de 7,5 %/).waitFor();
    expect((await getOrganisation(t.db, orgId))?.late_penalty_rate).toMatch(/^5(\.0+)?$/);

    // The logo: an SVG named .png is refused, a PNG is previewed, then removed.
    await page.getByRole('tab', { name: 'Organisation' }).click();
    const logoInput = page.locator('input[type="file"][accept^="image/"]');
    await logoInput.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: SVG_LOGO });
    await page.locator('.logo-field [role="alert"]').getByText(/SVG/).waitFor();
    await logoInput.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: makePng(240, 80) });
    const preview = page.getByRole('img', { name: 'Logo' });
    await expect
      .poll(() => preview.evaluate((img) => (img as { naturalWidth: number }).naturalWidth))
      .toBe(240);
    await page.getByRole('button', { name: 'Supprimer le logo' }).click();
    await page.getByText('Aucun logo.').waitFor();
    expect(
      await t.db.selectFrom('organisation_logos').select('org_id').where('org_id', '=', orgId).execute(),
    ).toEqual([]);
    await page.screenshot({ path: `${shots}/web-settings.png`, fullPage: true });
  });

  it('invites a user, who joins through the link and is signed in with the given role', async () => {
    await page.getByRole('tab', { name: 'Utilisateurs' }).click();
    await page.locator('input[name="inviteEmail"]').fill('bob@demo.example');
    await page.locator('select[name="inviteRole"]').selectOption('accountant');
    await page.getByRole('button', { name: 'Inviter' }).click();
    const link = page.getByTestId('invitation-link');
    await link.waitFor();
    invitationLink = (await link.textContent()) ?? '';
    expect(invitationLink).toMatch(/\/invitation#.+\..+/);
    await page.getByText('bob@demo.example').first().waitFor();

    await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
    await page.getByLabel('Adresse e-mail').waitFor();
    // The link names the server the request came to (no PUBLIC_URL here).
    await page.goto(invitationLink.replace(/^https?:\/\/[^/]+/, base));
    await page.getByRole('heading', { name: /Rejoindre/ }).waitFor();
    expect(await page.getByText('bob@demo.example').textContent()).toContain('Comptable');
    await page.getByLabel('Votre nom').fill('Bob Martin');
    await page.getByLabel(/Choisissez un mot de passe/).fill('bob long password');
    await page.getByRole('button', { name: 'Rejoindre' }).click();
    await page.locator('.top .user').getByText('Bob Martin').waitFor();
    const session = await page.request.get(`${base}/api/v1/auth/session`);
    expect((await session.json()).user).toMatchObject({ email: 'bob@demo.example', role: 'accountant' });

    // The link is spent.
    await page.goto(invitationLink.replace(/^https?:\/\/[^/]+/, base));
    // Signed in, Bob lands in the app again: wait for it, not for a quiet network (500 ms more).
    await page.locator('.top .user').getByText('Bob Martin').waitFor();
    const again = await page.request.post(`${base}/api/v1/invitations/describe`, {
      data: { token: decodeURIComponent(invitationLink.split('#')[1] ?? '') },
    });
    expect(again.status()).toBe(404);
  });

  it('imports a file through the preview: maps a column by hand, sees the row error, confirms', async () => {
    const file = `${shots}/clients-e2e.csv`;
    writeFileSync(file, CUSTOMERS);
    await page.goto(`${base}/import`);
    await page.locator('select[name="entity"]').selectOption('customers');
    await page.locator('input[name="file"]').setInputFiles(file);
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await page.getByText(/no column for required field externalRef/).waitFor();

    await page.getByLabel('Champ Identifiant').selectOption('externalRef');
    await page.getByRole('button', { name: 'Appliquer la correspondance' }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('3 lignes lues, 1 en erreur ; à créer : 2');
    expect(await page.locator('table.row-errors tbody tr').count()).toBe(1);
    expect(await page.locator('table.row-errors tbody tr td').first().textContent()).toBe('4');
    await page.screenshot({ path: `${shots}/web-import.png`, fullPage: true });
    const before = await t.db
      .selectFrom('customers')
      .select('external_ref')
      .where('org_id', '=', orgId)
      .execute();
    expect(before.map((c) => c.external_ref)).not.toContain('K-001');

    await page.getByRole('button', { name: 'Importer les lignes valides' }).click();
    await page.getByText('Import terminé : 2 lignes importées, 1 rejetées.').waitFor();
    const after = await t.db
      .selectFrom('customers')
      .select('external_ref')
      .where('org_id', '=', orgId)
      .where('external_ref', 'like', 'K-%')
      .orderBy('external_ref')
      .execute();
    expect(after.map((c) => c.external_ref)).toEqual(['K-001', 'K-002']);
  });
});
