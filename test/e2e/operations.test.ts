import pino from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailChannel } from '../../src/channels/email/email-channel.js';
import { LetterChannel } from '../../src/channels/letter/letter-channel.js';
import { refreshBalances } from '../../src/db/queries/balances.js';
import { createDemoOrganisation } from '../../src/demo/seed.js';
import { addDays, zonedParts } from '../../src/domain/calendar/index.js';
import { nextWorkingDay } from '../../src/domain/calendar/working-days.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { runDunning, runInstant } from '../../src/services/dunning/run-dunning.js';
import type { TestDb } from '../helpers/db.js';
import { seedStepsSent } from '../helpers/dunning-history.js';
import { type SmtpFixture, startSmtpFixture } from '../integration/channels/smtp-fixture.js';
import { hasChromium, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';

describe.skipIf(!hasChromium)(
  'operations in Chromium: print queue, policy selection rules, English step labels',
  () => {
    let t: TestDb;
    let web: WebApp;
    let page: Page;
    let base: string;
    let smtp: SmtpFixture;
    let customerId = '';
    let runDay = '';

    beforeAll(async () => {
      web = await startWebApp({
        seed: async (t) => {
          const org = await createDemoOrganisation(t.db);
          await ensureDemoUser(t.db, org.id);
          smtp = await startSmtpFixture();
          runDay = nextWorkingDay(zonedParts(new Date(), 'Europe/Paris').date);
          const c = await t.db
            .insertInto('customers')
            .values({
              org_id: org.id,
              external_ref: 'C-LRAR',
              name: 'Menuiserie Roux',
              address_line1: '8 avenue Foch',
              postal_code: '69006',
              city: 'Lyon',
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          customerId = c.id;
          await t.db
            .insertInto('contacts')
            .values({
              org_id: org.id,
              customer_id: customerId,
              email: 'roux@menuiserie.example',
              is_primary: true,
            })
            .execute();
          // 31 days late on the run day: the formal notice is due, by registered letter and email.
          const invoice = await t.db
            .insertInto('invoices')
            .values({
              org_id: org.id,
              customer_id: customerId,
              invoice_number: 'FL-1',
              issue_date: addDays(runDay, -61),
              due_date: addDays(runDay, -31),
              currency: 'EUR',
              gross_minor: 240_000,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await refreshBalances(t.db, org.id, { all: true });
          // The two reminders before it were sent (a formal notice presupposes them, decision 021).
          await seedStepsSent(
            t.db,
            org.id,
            customerId,
            [invoice.id],
            [
              ['first_reminder', `${addDays(runDay, -24)}T08:00:00Z`],
              ['second_reminder', `${addDays(runDay, -16)}T08:00:00Z`],
            ],
          );
          // No postal provider: the registered letter is rendered and queued for printing.
          const { delivery } = await runDunning(t.db, org.id, {
            at: await runInstant(t.db, org.id, runDay),
            dryRun: false,
            delivery: {
              channels: {
                email: new EmailChannel({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false } }),
                letter: new LetterChannel(),
              },
              workerId: 'e2e-operations',
              log: pino({ level: 'silent' }),
            },
          });
          expect(delivery?.sent ?? 0).toBeGreaterThan(0);
        },
        page: { viewport: { width: 1280, height: 1000 }, locale: 'fr-FR' },
      });
      ({ t, base, page } = web);
      await signInAsDemo(page, base);
      await page.getByRole('link', { name: 'Courriers' }).waitFor();
    }, 120_000);

    afterAll(async () => {
      await smtp?.close();
      await web?.close();
    });

    it('prints, posts and records the receipt of a registered letter, each on the customer timeline', async () => {
      await page.getByRole('link', { name: 'Courriers' }).click();
      await page.getByRole('heading', { name: 'Courriers à poster' }).waitFor();
      const row = page.locator('tr[data-letter]', { hasText: 'Menuiserie Roux' });
      await row.waitFor();
      expect(await row.textContent()).toContain('Recommandé AR');
      expect(await page.getByTestId('letters-total').textContent()).toBe('1 courrier');

      const href = await row.getByRole('link', { name: 'Ouvrir le PDF' }).getAttribute('href');
      const pdf = await page.request.get(`${base}${href}`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

      // Ticked, the letter goes into one batch PDF opened in a new tab; printing posts nothing.
      await row.getByRole('checkbox').check();
      const batchLink = page.getByRole('link', { name: 'Imprimer la sélection (1)' });
      const letterId = await row.getAttribute('data-letter');
      expect(await batchLink.getAttribute('href')).toBe(`/api/v1/letters/batch.pdf?ids=${letterId}`);
      expect(await batchLink.getAttribute('target')).toBe('_blank');
      const batch = await page.request.get(`${base}${await batchLink.getAttribute('href')}`);
      expect(batch.status()).toBe(200);
      expect(batch.headers()['content-type']).toBe('application/pdf');
      expect((await batch.body()).subarray(0, 5).toString()).toBe('%PDF-');
      expect(await page.getByTestId('letters-total').textContent()).toBe('1 courrier');

      // A number one digit short is refused next to the field, before anything is recorded.
      const tracking = row.getByLabel('N° de recommandé');
      await tracking.fill('1A 012 345 678 9');
      await row.getByLabel('Posté le').fill(runDay);
      await row.getByRole('button', { name: 'Marquer posté' }).click();
      const err = row.getByRole('alert');
      expect(await err.textContent()).toContain('1 chiffre, 1 lettre, 11 chiffres');
      expect(await tracking.getAttribute('aria-invalid')).toBe('true');
      await page.screenshot({ path: `${shots}/web-print-queue.png`, fullPage: true });

      await tracking.fill('1A 012 345 678 90');
      await row.getByRole('button', { name: 'Marquer posté' }).click();
      await expect.poll(() => page.getByTestId('letters-total').textContent()).toBe('0 courrier');

      await page.getByRole('button', { name: 'Postés' }).click();
      const posted = page.locator('tr[data-letter]', { hasText: 'Menuiserie Roux' });
      await expect.poll(() => posted.textContent()).toContain('1A01234567890');
      await posted.getByLabel('Date de l’AR').fill(addDays(runDay, 2));
      await posted.getByLabel('Scan de l’AR (facultatif)').setInputFiles({
        name: 'avis-de-reception.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n% scan of the signed card\n'),
      });
      await posted.getByRole('button', { name: 'Enregistrer l’AR' }).click();
      await expect.poll(() => page.getByTestId('letters-total').textContent()).toBe('0 courrier');
      await page.getByRole('button', { name: 'AR reçus' }).click();
      await expect.poll(() => page.getByTestId('letter-status').first().textContent()).toContain('AR reçu');

      await page.locator('tr[data-letter]').getByRole('link', { name: 'Menuiserie Roux' }).click();
      const timeline = page.getByTestId('timeline');
      // The French screen words each stage as it happened (issue 13: evidence tells the truth).
      const fr = (d: string) => d.split('-').reverse().join('/');
      await expect
        .poll(() => timeline.textContent())
        .toContain(`Lettre remise à La Poste le ${fr(runDay)} (n° 1A01234567890)`);
      expect(await timeline.textContent()).toContain(
        `AR reçu le ${fr(addDays(runDay, 2))} (n° 1A01234567890)`,
      );
      const receipt = await t.db
        .selectFrom('evidence')
        .select(['payload', 'content_sha256'])
        .where('customer_id', '=', customerId)
        .where('kind', '=', 'delivery_status')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      const scanId = (receipt.payload as { scanDocumentId?: string }).scanDocumentId ?? '';
      const scan = await t.db
        .selectFrom('documents')
        .select(['kind', 'sha256'])
        .where('id', '=', scanId)
        .executeTakeFirstOrThrow();
      expect(scan).toEqual({ kind: 'proof_of_delivery', sha256: receipt.content_sha256 });
      expect(await page.getByTestId('policy-why').textContent()).toBe('par la règle 3 (businesses)');
    });

    it('adds a selection rule, shows the server’s error next to it, and changes the policy in force', async () => {
      await page.getByRole('link', { name: 'Politiques' }).click();
      const rules = page.getByTestId('policy-rules');
      await rules.waitFor();
      expect(await rules.getByTestId('policy-rule').count()).toBe(3);
      await rules.getByRole('button', { name: 'Ajouter une règle' }).click();
      await rules.getByLabel('Libellé — Règle 4').fill('Gros encours');
      await rules.getByLabel('Politique appliquée — Règle 4').selectOption('FR-conciliatory');
      await rules.getByLabel('Encours min. (€) — Règle 4').fill('3000');
      await rules.getByLabel('Encours max. (€) — Règle 4').fill('1000');
      await rules.getByRole('button', { name: 'Enregistrer les règles' }).click();
      const maxField = rules.getByLabel('Encours max. (€) — Règle 4');
      await expect.poll(() => maxField.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await maxField.getAttribute('aria-describedby')) ?? '';
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain('must not be below');

      await rules.getByLabel('Encours min. (€) — Règle 4').fill('1 000');
      await maxField.fill('');
      await rules.getByRole('button', { name: 'Monter — Règle 4' }).click();
      await rules.getByRole('button', { name: 'Monter — Règle 3' }).click();
      await rules.getByRole('button', { name: 'Monter — Règle 2' }).click();
      expect(await rules.getByLabel('Libellé — Règle 1').inputValue()).toBe('Gros encours');
      await rules.getByRole('button', { name: 'Enregistrer les règles' }).click();
      await rules.getByText('Règles enregistrées').waitFor();
      await rules.screenshot({ path: `${shots}/web-policy-rules.png` });

      await page.goto(`${base}/customers/${customerId}`);
      const why = page.getByTestId('policy-why');
      await expect.poll(() => why.textContent()).toBe('par la règle 1 (Gros encours)');
      expect(await page.getByTestId('policy-in-force').textContent()).toContain(
        'Relance conciliante (comptes stratégiques) (v1)',
      );
      // An admin forces a policy on this customer, then lets the rules decide again.
      await page.getByLabel('Forcer la politique').selectOption('FR-B2C-standard');
      await page.getByRole('button', { name: 'Appliquer' }).click();
      await expect.poll(() => why.textContent()).toBe('forcée pour ce client');
      await page.getByLabel('Forcer la politique').selectOption('');
      await page.getByRole('button', { name: 'Appliquer' }).click();
      await expect.poll(() => why.textContent()).toBe('par la règle 1 (Gros encours)');
    });

    it('shows step, channel and tone labels in English when the UI is in English', async () => {
      await page.locator('header label.lang select').selectOption('en');
      await page.getByRole('link', { name: 'Policies' }).click();
      const steps = page.getByTestId('policy-steps');
      await steps.waitFor();
      const text = (await steps.textContent()) ?? '';
      expect(text).toContain('First reminder');
      expect(text).toContain('Formal notice (mise en demeure)');
      expect(text).not.toContain('Première relance');
      expect(text).toContain('Registered letter');
      expect(await page.getByLabel('Tone — First reminder').locator('option:checked').textContent()).toBe(
        'Courteous',
      );
      expect(await page.getByTestId('policy-rules').getByRole('heading').textContent()).toBe(
        'Selection rules',
      );
    });
  },
);
