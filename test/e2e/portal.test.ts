import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmailChannel } from '../../src/channels/email/email-channel.js';
import { LetterChannel } from '../../src/channels/letter/letter-channel.js';
import { epcQrSvg } from '../../src/channels/portal/qr.js';
import { withOrg } from '../../src/db/connection.js';
import { refreshBalances } from '../../src/db/queries/balances.js';
import { isValidCreditorReference, parseEpcPayload } from '../../src/domain/sepa/index.js';
import { uploadLogo } from '../../src/services/branding/upload-logo.js';
import { planDunningRun } from '../../src/services/dunning/plan-dunning-run.js';
import { runDunning, runInstant } from '../../src/services/dunning/run-dunning.js';
import { createOrganisation } from '../../src/services/organisations/create-organisation.js';
import { createPortalLink } from '../../src/services/portal/create-portal-link.js';
import { describeEngines, type TestDb } from '../helpers/db.js';
import { makePng } from '../helpers/images.js';
import { type SmtpFixture, startSmtpFixture } from '../integration/channels/smtp-fixture.js';
import { readPdf } from '../unit/channels/pdf-text.js';
import { hasChromium, root, shots, startWebApp, type WebApp } from './browser.js';

const RUN_DATE = '2026-11-10';
/**
 * Online payment arrives with the payment-provider adapter (h/payments, merged in parallel):
 * with its test provider in the tree, the debtor pays by "card"; without it, the page says
 * online payment is not offered. Imported by path so this file compiles either way.
 */
const PAYMENT_TEST_SECRET = 'e2e-portal-payment-secret';
const TEST_PROVIDER_MODULE = `${root}src/channels/payments/test-double.ts`;
const hasTestProvider = existsSync(TEST_PROVIDER_MODULE);
interface TestProviderModule {
  testPaymentProvider(secret: string): {
    signedEvent(
      e: {
        type: string;
        sessionId: string;
        checkout: {
          checkoutId: string;
          orgId: string;
          customerId: string;
          amountMinor: number;
          currency: string;
        };
      },
      at: Date,
    ): { body: string; headers: Record<string, string> };
  };
}
const MOBILE = { width: 390, height: 844 };

/** One debtor's way through the portal, from the reminder email to the paused dunning plan. */
describeEngines('debtor portal in Chromium: reminder link, pay, dispute, promise, plan', (engine) => {
  if (!hasChromium) {
    it.skip('needs /usr/bin/chromium', () => undefined);
    return;
  }
  let t: TestDb;
  let smtp: SmtpFixture;
  let web: WebApp;
  let browser: Browser;
  let mobile: BrowserContext;
  let page: Page;
  let base: string;
  let orgId: string;
  let at: Date;
  let link = '';
  const ids: Record<string, string> = {};

  async function customer(ref: string, email: string, language: 'fr' | 'en' = 'fr') {
    const c = await t.db
      .insertInto('customers')
      .values({ org_id: orgId, external_ref: ref, name: `Client ${ref} SARL`, kind: 'b2b', language })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('contacts')
      .values({ org_id: orgId, customer_id: c.id, name: `Compta ${ref}`, email, is_primary: true })
      .execute();
    ids[ref] = c.id;
    return c.id;
  }
  async function invoice(customerId: string, number: string, due: string, gross: number) {
    const r = await t.db
      .insertInto('invoices')
      .values({
        org_id: orgId,
        customer_id: customerId,
        invoice_number: number,
        issue_date: '2026-10-04',
        due_date: due,
        currency: 'EUR',
        gross_minor: gross,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[number] = r.id;
  }
  const item = (number: string) => page.locator(`li[data-invoice="${number}"]`);
  const excludedFor = async (customerId: string) => {
    const run = await planDunningRun(t.db, orgId, {
      now: at,
      dryRun: true,
      collectPlans: true,
      customerIds: [customerId],
    });
    const plan = run.plans.find((p) => p.plan.customerId === customerId)?.plan;
    return new Map((plan?.excluded ?? []).map((e) => [e.invoiceNumber, e.reason]));
  };

  beforeAll(async () => {
    smtp = await startSmtpFixture();
    web = await startWebApp({
      engine,
      // customer() and invoice() above write through the file's `t`: set it first.
      seed: async (created) => {
        t = created;
        const org = await createOrganisation(t.db, {
          name: 'Dupont Industrie SAS',
          iban: 'FR7630006000011234567890189',
          bic: 'AGRIFRPP',
        });
        orgId = org.id;
        await t.db
          .updateTable('organisations')
          .set({
            email: 'relances@dupont.example',
            phone: '01 23 45 67 89',
            address_line1: '1 place de la Bourse',
            postal_code: '75002',
            city: 'Paris',
          })
          .where('id', '=', orgId)
          .execute();
        const a = await customer('A', 'compta@client-a.example');
        await invoice(a, 'F-A1', '2026-11-03', 120000);
        await invoice(a, 'F-A2', '2026-11-03', 30000);
        await invoice(a, 'F-A3', '2026-11-03', 45050);
        const b = await customer('B', 'compta@client-b.example', 'en');
        await invoice(b, 'F-B1', '2026-11-03', 99900);
        await refreshBalances(t.db, orgId, { all: true });

        at = await runInstant(t.db, orgId, RUN_DATE);
      },
      config: { RELANCE_PAYMENT_TEST_SECRET: PAYMENT_TEST_SECRET },
      now: () => at,
      page: { viewport: MOBILE, locale: 'fr-FR', isMobile: true, hasTouch: true, acceptDownloads: true },
    });
    ({ base, browser, page, context: mobile } = web);
  }, 120_000);

  afterAll(async () => {
    await smtp?.close();
    await web?.close();
  });

  it('sends the reminder by email with a portal link to this server', async () => {
    const { delivery } = await runDunning(t.db, orgId, {
      at,
      dryRun: false,
      delivery: {
        channels: {
          email: new EmailChannel({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false } }),
          letter: new LetterChannel(),
        },
        workerId: 'e2e',
        log: pino({ level: 'silent' }),
        portalBaseUrl: base,
      },
    });
    expect(delivery).toMatchObject({ failed: 0 });
    const mail = smtp.received.find((m) => m.envelopeTo.includes('compta@client-a.example'));
    expect(mail, 'reminder to customer A').toBeDefined();
    const text = `${mail?.parsed.text ?? ''}\n${typeof mail?.parsed.html === 'string' ? mail.parsed.html : ''}`;
    const found = text.match(
      new RegExp(`${base.replace(/[.:/]/g, '\\$&')}/portal/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+`),
    );
    expect(found, 'portal link in the email').not.toBeNull();
    link = found?.[0] ?? '';
  });

  it('shows the open items in the customer’s language, with the creditor and the total', async () => {
    const res = await page.goto(link);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['cache-control']).toBe('no-store');
    expect(res?.headers()['referrer-policy']).toBe('no-referrer');
    await page.getByRole('heading', { level: 1, name: 'Bonjour Client A SARL' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('header').textContent()).toContain('Dupont Industrie SAS');
    expect(await page.getByTestId('portal-items').locator('> li').count()).toBe(3);
    // 1 200,00 + 300,00 + 450,50 = 1 950,50 €, French formatting.
    expect(norm(await page.getByTestId('portal-total').textContent())).toBe('1 950,50 €');
    const a3 = norm(await item('F-A3').textContent());
    expect(a3).toContain('450,50 €');
    expect(a3).toContain('3 nov. 2026');
    expect(a3).toContain('7 j de retard');
    // Mobile first: nothing wider than the phone, even on a 320 px screen.
    expect(await overflowX(page)).toBe(false);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await overflowX(page)).toBe(false);
    await page.setViewportSize(MOBILE);
    await page.screenshot({ path: `${shots}/portal-mobile-items.png`, fullPage: true });
  });

  it('shows how to pay by transfer: IBAN, BIC, RF reference and an EPC QR code of the right amount', async () => {
    const transfer = norm(await page.getByTestId('portal-transfer').textContent());
    expect(transfer).toContain('FR76 3000 6000 0112 3456 7890 189');
    expect(transfer).toContain('AGRIFRPP');
    const referencePrinted = norm(await page.getByTestId('portal-reference').textContent());
    const reference = referencePrinted.replace(/\s/g, '');
    expect(isValidCreditorReference(reference)).toBe(true);

    const payloadText = (await page.getByTestId('portal-epc-payload').textContent()) ?? '';
    const epc = parseEpcPayload(payloadText);
    expect(epc.serviceTag).toBe('BCD');
    expect(epc.iban).toBe('FR7630006000011234567890189');
    expect(epc.amount).toEqual({ amount: 195050, currency: 'EUR' });
    expect(epc.structuredReference).toBe(reference);
    // The image shown is the QR symbol of exactly that payload (same encoder, same options).
    const src = (await page.getByTestId('portal-qr').getAttribute('src')) ?? '';
    const svg = decodeURIComponent(src.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''));
    expect(svg).toBe(await epcQrSvg(Buffer.from(payloadText, 'utf8')));
    expect(await page.getByTestId('portal-qr').getAttribute('alt')).toContain(referencePrinted);
  });

  it('disputes one item with a reason, a comment and a PDF attachment', async () => {
    await item('F-A1').getByRole('button', { name: 'Contester' }).click();
    const form = item('F-A1').locator('form');
    // The keyboard lands in the form that opened, and every control on the page has a name.
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.tagName'))
      .toBe('SELECT');
    expect(await unnamedControls(page)).toEqual([]);
    await form.getByLabel('Motif').selectOption('not_received');
    await form.getByLabel('Commentaire (facultatif)').fill('Livraison jamais reçue, voir le bon joint.');
    await form.getByLabel(/Pièce justificative/).setInputFiles({
      name: 'bon-de-livraison.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    });
    await page.screenshot({ path: `${shots}/portal-mobile-dispute.png`, fullPage: true });
    await form.getByRole('button', { name: 'Envoyer la contestation' }).click();
    await expect
      .poll(() => page.getByTestId('portal-status').textContent())
      .toContain('Contestation enregistrée pour la facture F-A1');
    await item('F-A1').getByText('Contestée').waitFor();
    const docs = await t.db
      .selectFrom('documents')
      .select(['filename', 'mime_type', 'invoice_id'])
      .where('org_id', '=', orgId)
      .where('kind', '=', 'attachment')
      .execute();
    expect(docs).toEqual([
      { filename: 'bon-de-livraison.pdf', mime_type: 'application/pdf', invoice_id: ids['F-A1'] },
    ]);
  });

  it('promises to pay another item by a date', async () => {
    await item('F-A2').getByRole('button', { name: 'Promettre une date' }).click();
    await item('F-A2').getByLabel('Je paierai au plus tard le').fill('2026-11-20');
    await item('F-A2').getByRole('button', { name: 'Enregistrer ma promesse' }).click();
    await expect
      .poll(() => page.getByTestId('portal-status').textContent())
      .toMatch(/Promesse enregistrée : paiement de 300,00\s€ au plus tard le 20 nov\. 2026/);
    await item('F-A2').getByText('Paiement promis le 20 nov. 2026').waitFor();
    const requests = norm(await page.getByTestId('portal-requests').textContent());
    expect(requests).toContain(
      'Contestation de la facture F-A1 (Marchandise ou prestation non reçue) : en cours d’examen',
    );
    expect(requests).toContain('Promesse de paiement de la facture F-A2 au 20 nov. 2026');
  });

  it('asks for a payment plan: a refused one offers the nearest plan, which is then requested and signed', async () => {
    const plan = page.getByTestId('portal-plan');
    // The plan covers the undisputed items: 300,00 + 450,50 €.
    expect(norm(await plan.textContent())).toContain('750,50 €');
    await plan.getByLabel('Nombre de mensualités').fill('20');
    await plan.getByLabel('Première échéance').fill('2026-12-01');
    await plan.getByRole('button', { name: 'Calculer mon échéancier' }).click();
    const refused = page.getByTestId('portal-plan-refused');
    await refused.waitFor();
    expect(norm(await refused.textContent())).toContain('12 mensualités à partir du 1 déc. 2026');
    await refused.getByRole('button', { name: 'Utiliser cet échéancier' }).click();
    expect(await plan.getByLabel('Nombre de mensualités').inputValue()).toBe('12');
    await plan.getByRole('button', { name: 'Calculer mon échéancier' }).click();
    const schedule = page.getByTestId('portal-schedule');
    await schedule.waitFor();
    expect(await schedule.locator('tbody tr').count()).toBe(12);
    expect(norm(await schedule.locator('tfoot').textContent())).toContain('750,50 €');

    // Within the organisation's auto-accept rules the plan is proposed: the debtor signs it.
    const accept = plan.getByRole('button', { name: "Accepter l'échéancier" });
    expect(await accept.isDisabled()).toBe(true);
    await plan.getByLabel(/J'accepte cet échéancier/).check();
    await plan.getByLabel('Nom et prénom du signataire').fill('Jeanne Martin');
    await accept.click();
    await expect.poll(() => page.getByTestId('portal-status').textContent()).toContain('Échéancier accepté');
    await expect
      .poll(async () => norm(await page.getByTestId('portal-requests').textContent()))
      .toContain('Échéancier de 750,50 € en 12 mensualités : en cours');
    // The plan form gives way to the active plan.
    expect(await page.getByTestId('portal-plan').count()).toBe(0);
    await page.screenshot({ path: `${shots}/portal-mobile-plan.png`, fullPage: true });
  });

  it('leaves the disputed and promised items (and an accepted plan’s) out of the next dunning run', async () => {
    const excluded = await excludedFor(ids.A as string);
    expect(excluded.get('F-A1')).toBe('disputed');
    expect(excluded.get('F-A2')).toBe('promise_to_pay');
    // The accepted plan covers both undisputed items; the promise is the first pause met.
    expect(excluded.get('F-A3')).toBe('payment_plan');
  });

  it('downloads the signed plan and the statement as PDFs, from the links on the page', async () => {
    const download = async (name: string | RegExp) => {
      const [d] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name }).click(),
      ]);
      const path = await d.path();
      return { name: d.suggestedFilename(), text: (await readPdf(readFileSync(path))).text.join('\n') };
    };
    const agreement = await download("Télécharger l'échéancier signé (PDF)");
    expect(agreement.name).toMatch(/^payment-plan-.*\.pdf$/);
    expect(agreement.text).toContain('Jeanne Martin');
    expect(norm(agreement.text)).toContain('750,50');
    const statement = await download('Relevé de compte (PDF)');
    for (const n of ['F-A1', 'F-A2', 'F-A3']) expect(statement.text).toContain(n);
    const invoicePdf = await download('Télécharger la facture F-A1 (PDF)');
    expect(invoicePdf.text).toContain('F-A1');
  });

  it('pays online through the provider when one is set up (else says it is not offered), and greets the return', async () => {
    const back = await mobile.newPage();
    await back.goto(`${link}?checkout=cancelled`);
    await back.getByTestId('portal-checkout-return').waitFor();
    expect(await back.getByTestId('portal-checkout-return').textContent()).toContain(
      'Paiement en ligne annulé',
    );
    await back.close();

    if (!hasTestProvider) {
      // Without a payment provider the portal does not offer "Payer en ligne" (issue 13).
      expect(await page.getByRole('button', { name: 'Payer en ligne' }).count()).toBe(0);
      return;
    }
    // The test provider's hosted page lives on a domain that does not resolve: stand in for it.
    await page.route('https://checkout.test.invalid/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Test checkout</h1>' }),
    );
    await page.getByRole('button', { name: 'Payer en ligne' }).click();
    await page.waitForURL(/^https:\/\/checkout\.test\.invalid\/pay\/cs_test_/);
    const { rows } = await sql<{
      id: string;
      provider_session_id: string;
      amount_minor: number;
      currency: string;
    }>`
      SELECT id, provider_session_id, amount_minor::int AS amount_minor, currency
      FROM payment_checkouts WHERE org_id = ${orgId}`.execute(t.db);
    // What the undisputed items owe (F-A2 + F-A3), computed by the server.
    expect(rows.map((r) => [r.amount_minor, r.currency])).toEqual([[75050, 'EUR']]);
    const row = rows[0] as (typeof rows)[number];
    const { testPaymentProvider } = (await import(TEST_PROVIDER_MODULE)) as TestProviderModule;
    const event = testPaymentProvider(PAYMENT_TEST_SECRET).signedEvent(
      {
        type: 'checkout.session.completed',
        sessionId: row.provider_session_id,
        checkout: {
          checkoutId: row.id,
          orgId,
          customerId: ids.A as string,
          amountMinor: row.amount_minor,
          currency: row.currency,
        },
      },
      at,
    );
    const hook = await fetch(`${base}/webhooks/payments/test`, {
      method: 'POST',
      headers: event.headers,
      body: event.body,
    });
    expect(hook.status).toBe(200);
    expect(((await hook.json()) as { outcome: string }).outcome).toBe('recorded');

    await page.goto(`${link}?checkout=success`);
    await page.getByTestId('portal-checkout-return').waitFor();
    await expect.poll(() => page.getByTestId('portal-items').locator('> li').count()).toBe(1);
    expect(norm(await page.getByTestId('portal-total').textContent())).toBe('1 200,00 €');
    await page.screenshot({ path: `${shots}/portal-mobile-paid.png`, fullPage: true });
  });

  it('switches to English and shows a wide layout on a desktop screen', async () => {
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Hello Client A SARL' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(norm(await page.getByTestId('portal-total').textContent())).toBe(
      hasTestProvider ? '€1,200.00' : '€1,950.50',
    );
    await page.screenshot({ path: `${shots}/portal-mobile-en.png`, fullPage: true });
    // The creditor's logo, once uploaded, heads the page (served through the link's token).
    await uploadLogo(t.db, orgId, makePng(240, 80));
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await desktop.goto(link);
    await desktop.getByRole('heading', { level: 1 }).waitFor();
    const logo = desktop.locator('header.p-top img.p-logo');
    await expect.poll(() => logo.evaluate((img) => (img as { naturalWidth: number }).naturalWidth)).toBe(240);
    await desktop.screenshot({ path: `${shots}/portal-desktop.png`, fullPage: true });
    await desktop.close();
  });

  it('refuses tampered, expired and other customers’ forged tokens with one page that reveals nothing', async () => {
    const token = link.slice(`${base}/portal/`.length);
    const [payload, sig] = token.split('.') as [string, string];
    const tampered = `${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const expired = await withOrg(t.db, orgId, (trx) =>
      createPortalLink(
        trx,
        orgId,
        { customerId: ids.A as string },
        { baseUrl: base, days: 1, now: new Date(at.getTime() - 2 * 86_400_000) },
      ),
    );
    // Another organisation's genuine link, its organisation id swapped for ours: a forgery.
    const other = await createOrganisation(t.db, { name: 'Autre Créancier SA' });
    const otherCustomer = await t.db
      .insertInto('customers')
      .values({ org_id: other.id, external_ref: 'Z', name: 'Client Z', kind: 'b2b' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const foreign = await withOrg(t.db, other.id, (trx) =>
      createPortalLink(trx, other.id, { customerId: otherCustomer.id }, { baseUrl: base }),
    );
    const foreignRaw = Buffer.from(foreign.token.split('.')[0] as string, 'base64url');
    const ourOrg = Buffer.from(orgId.replaceAll('-', ''), 'hex');
    const swapped = `${Buffer.concat([ourOrg, foreignRaw.subarray(16)]).toString('base64url')}.${foreign.token.split('.')[1]}`;

    const bad = { tampered, expired: expired.token, swapped, garbage: 'not-a-token' };
    const texts = new Set<string>();
    for (const [name, tok] of Object.entries(bad)) {
      const p = await mobile.newPage();
      await p.goto(`${base}/portal/${tok}`);
      await p.getByTestId('portal-refused').waitFor();
      const body = norm(await p.locator('body').textContent());
      expect(body, name).toContain("Ce lien n'est pas valide ou a expiré");
      for (const secret of ['Client A', 'F-A1', '1 950,50', 'Dupont', 'FR76'])
        expect(body, name).not.toContain(secret);
      texts.add(body);
      if (name === 'tampered') await p.screenshot({ path: `${shots}/portal-refused.png`, fullPage: true });
      await p.close();
    }
    expect(texts.size).toBe(1);

    // A genuine link to another customer shows that customer only, in their language.
    const bLink = await withOrg(t.db, orgId, (trx) =>
      createPortalLink(trx, orgId, { customerId: ids.B as string }, { baseUrl: base }),
    );
    const p = await mobile.newPage();
    await p.goto(bLink.url);
    await p.getByRole('heading', { level: 1, name: 'Hello Client B SARL' }).waitFor();
    const body = norm(await p.locator('body').textContent());
    expect(body).toContain('F-B1');
    for (const n of ['F-A1', 'F-A2', 'F-A3', 'Client A']) expect(body).not.toContain(n);
    await p.close();
  });
});

/** Form controls without an accessible name, and images without alt text (outerHTML of each). */
function unnamedControls(page: Page): Promise<string[]> {
  // A string, evaluated in the page: the test's TypeScript has no DOM types.
  return page.evaluate(`(() => {
    const controls = [...document.querySelectorAll('input, select, textarea, button')].filter(
      (el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim(),
    );
    const images = [...document.querySelectorAll('img')].filter((img) => !img.hasAttribute('alt'));
    return [...controls, ...images].map((el) => el.outerHTML.slice(0, 120));
  })()`);
}

/** Whether the page scrolls sideways (something wider than the viewport). */
async function overflowX(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth > window.innerWidth') as Promise<boolean>;
}

/** Text with every kind of space made one plain space (Intl uses narrow no-break spaces). */
function norm(s: string | null): string {
  return (s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}
