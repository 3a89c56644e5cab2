import pino from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailChannel } from '../../src/channels/email/email-channel.js';
import { LetterChannel } from '../../src/channels/letter/letter-channel.js';
import { createDemoOrganisation, populateDemo } from '../../src/demo/seed.js';
import { zonedParts } from '../../src/domain/calendar/index.js';
import { nextWorkingDay } from '../../src/domain/calendar/working-days.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { runDunning, runInstant } from '../../src/services/dunning/run-dunning.js';
import type { TestDb } from '../helpers/db.js';
import { type SmtpFixture, startSmtpFixture } from '../integration/channels/smtp-fixture.js';
import { hasChromium, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';

describe.skipIf(!hasChromium)(
  'worklist in Chromium: score, call with a promise, customer file, bulk pause',
  () => {
    let t: TestDb;
    let web: WebApp;
    let page: Page;
    let base: string;
    let orgId: string;
    let smtp: SmtpFixture | undefined;

    beforeAll(async () => {
      web = await startWebApp({
        seed: async (t) => {
          const org = await createDemoOrganisation(t.db);
          orgId = org.id;
          await populateDemo(t.db, org.id, { customers: 40, invoices: 300, seed: 7 });
          await ensureDemoUser(t.db, org.id);
        },
      });
      ({ t, base, page } = web);
    });

    afterAll(async () => {
      await smtp?.close();
      await web?.close();
    });

    let customerName = '';

    it('signs in, opens the worklist and explains the top item’s score', async () => {
      await signInAsDemo(page, base);
      await page.getByRole('link', { name: 'À traiter' }).click();
      await page.getByRole('heading', { name: "À traiter aujourd'hui" }).waitFor();
      // The flat list ranks every item by score; the default view groups them per customer.
      await page.getByLabel('Affichage').selectOption('items');
      const item = page.locator('.wl-entry[data-kind="item"]').first();
      await item.waitFor();
      const scores = await page.getByTestId('score').allTextContents();
      const values = scores.map((s) => Number(s.replace(',', '.')));
      expect(values.length).toBeGreaterThan(1);
      expect([...values].sort((a, b) => b - a)).toEqual(values);
      await item.getByText('Pourquoi ?').click();
      const why = await item.locator('.factors').textContent();
      expect(why).toContain('Montant échu');
      expect(why).toContain('Chance de recouvrement');
      customerName = (await item.locator('a').first().textContent()) ?? '';
      expect(customerName).not.toBe('');
    });

    it('logs a call with a promise by keyboard, showing the server’s error next to the date first', async () => {
      const item = page.locator('.wl-entry[data-kind="item"]').first();
      await item.getByRole('button', { name: 'Noter un appel' }).click();
      const form = page.locator('form.callform');
      await form.waitFor();
      // The outcome has focus and "Promesse de paiement" is the default; Enter in a field saves.
      expect(await form.locator('select:focus').count()).toBe(1);
      await form.getByLabel('Payera le').fill('2020-01-01');
      await form.getByLabel('Note').focus();
      await page.keyboard.type('Paiera par virement vendredi');
      await page.keyboard.press('Enter');
      const error = form.locator('#call-promiseDate-error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/must be \d{4}-\d{2}-\d{2} or later/);
      await page.screenshot({ path: `${shots}/web-worklist-error.png` });

      const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
      await form.getByLabel('Payera le').fill(inAWeek);
      await form.getByLabel('Note').focus();
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Appel enregistré.' }).waitFor();
      const calls = await t.db
        .selectFrom('call_logs')
        .select(['outcome', 'note', 'promise_id'])
        .where('org_id', '=', orgId)
        .execute();
      expect(calls).toHaveLength(1);
      expect(calls[0]?.outcome).toBe('promise');
      expect(calls[0]?.promise_id).toBeTruthy();
      await page.locator('.wl-entry[data-kind="item"]').first().getByText('Pourquoi ?').click();
      await page.screenshot({ path: `${shots}/web-worklist.png`, fullPage: false });
    });

    it('shows the call on the customer file timeline, with the promise and the statement', async () => {
      const customer = await t.db
        .selectFrom('customers')
        .select('id')
        .where('org_id', '=', orgId)
        .where('name', '=', customerName)
        .executeTakeFirstOrThrow();
      await page.goto(`${base}/customers/${customer.id}`);
      await page.getByRole('heading', { name: customerName, level: 1 }).waitFor();
      const timeline = page.getByTestId('timeline');
      await timeline.locator('li').first().waitFor();
      expect(await timeline.locator('li').first().textContent()).toContain('Paiera par virement vendredi');
      expect(await timeline.locator('li').first().textContent()).toContain('phone');
      expect(await page.getByTestId('case-promises').textContent()).toContain('en cours');
      expect(await page.getByTestId('statement').locator('tbody tr').count()).toBeGreaterThan(0);
      expect(await page.getByText('Chaîne de preuve intacte').count()).toBe(1);
      await page.screenshot({ path: `${shots}/web-customer.png`, fullPage: true });
    });

    it('bulk-pauses two invoices from the invoices list', async () => {
      await page.getByRole('link', { name: 'Factures' }).click();
      await page.getByTestId('invoices-table').waitFor();
      // Read the rows only once the filtered page has arrived, not the previous one.
      const filtered = page.waitForResponse(
        (r) => r.url().includes('/api/v1/invoices?') && r.url().includes('overdue=true'),
      );
      // click, not check: the box follows the URL, which the router updates in a transition.
      await page.getByLabel('En retard uniquement').click();
      await filtered;
      await expect
        .poll(() =>
          page.getByTestId('invoices-table').locator('tbody tr td:nth-child(7)').first().textContent(),
        )
        .not.toBe('');
      const rows = page.getByTestId('invoices-table').locator('tbody tr');
      const numbers = [
        (await rows.nth(0).locator('td').first().textContent()) ?? '',
        (await rows.nth(1).locator('td').first().textContent()) ?? '',
      ];
      await page.getByLabel(`Sélectionner ${numbers[0]}`).check();
      await page.getByLabel(`Sélectionner ${numbers[1]}`).check();
      const bar = page.locator('form.bulkbar');
      await bar.getByText('2 sélectionnée(s)').waitFor();
      await bar.getByLabel('Motif').fill('Négociation en cours');
      await bar.getByRole('button', { name: 'Appliquer' }).click();
      // The confirmation is shown once the server has answered: no need to wait for a quiet network.
      await page.getByRole('status').filter({ hasText: '2 facture(s) modifiée(s).' }).waitFor();
      await page.screenshot({ path: `${shots}/web-invoices-bulk.png` });
      const pauses = await t.db
        .selectFrom('dunning_pauses as p')
        .innerJoin('invoices as i', (j) =>
          j.onRef('i.org_id', '=', 'p.org_id').onRef('i.id', '=', 'p.invoice_id'),
        )
        .select(['i.invoice_number', 'p.reason'])
        .where('p.org_id', '=', orgId)
        .execute();
      expect(pauses.map((p) => p.invoice_number).sort()).toEqual([...numbers].sort());
      expect(pauses.every((p) => p.reason === 'Négociation en cours')).toBe(true);
    });

    it('shows a sent reminder exactly as it was sent, checked against the evidence hash', async () => {
      // A real run: email over a loopback SMTP server, letters as PDFs; no SMS (no consent).
      smtp = await startSmtpFixture();
      await t.db.updateTable('contacts').set({ consent_sms: false }).where('org_id', '=', orgId).execute();
      const parts = zonedParts(new Date(), 'Europe/Paris');
      const day = nextWorkingDay(parts.date);
      const at = await runInstant(t.db, orgId, day);
      const { delivery } = await runDunning(t.db, orgId, {
        at,
        dryRun: false,
        delivery: {
          channels: {
            email: new EmailChannel({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false } }),
            letter: new LetterChannel(),
          },
          workerId: 'e2e-worklist',
          log: pino({ level: 'silent' }),
        },
      });
      expect(delivery?.sent ?? 0).toBeGreaterThan(0);
      const sent = await t.db
        .selectFrom('sent_messages')
        .select(['customer_id', 'action_id', 'subject'])
        .where('org_id', '=', orgId)
        .where('channel', '=', 'email')
        .executeTakeFirstOrThrow();
      const mail = smtp.received.find((m) => m.parsed.subject === sent.subject);
      expect(mail, 'the email the SMTP server received').toBeDefined();

      await page.goto(`${base}/customers/${sent.customer_id}`);
      const entry = page.locator('[data-testid="timeline"] li[data-kind="message_sent"]').first();
      await entry.waitFor();
      await entry.getByText('Tel qu’envoyé').click();
      const shown = entry.getByTestId('sent-message');
      await shown.waitFor();
      expect(await shown.textContent()).toContain('Identique à l’empreinte du journal de preuve');
      const body = (await entry.frameLocator('iframe.sent-html').locator('body').textContent()) ?? '';
      const evidence = await t.db
        .selectFrom('evidence')
        .select('payload')
        .where('org_id', '=', orgId)
        .where('customer_id', '=', sent.customer_id)
        .where('kind', '=', 'message_sent')
        .execute();
      const mine = evidence.find((e) => (e.payload as { actionId?: string }).actionId === sent.action_id);
      const numbers = ((mine?.payload as { items?: { number: string }[] } | undefined)?.items ?? []).map(
        (i) => i.number,
      );
      expect(numbers.length).toBeGreaterThan(0);
      for (const n of numbers) {
        expect(mail?.parsed.text ?? '').toContain(n);
        expect(body).toContain(n);
      }
      await page.screenshot({ path: `${shots}/web-sent-message.png`, fullPage: true });
    });
  },
);
