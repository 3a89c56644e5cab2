import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation } from '../../src/demo/seed.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { importBankStatement } from '../../src/services/bank/import-bank-statement.js';
import type { TestDb } from '../helpers/db.js';
import { makeCustomers, makeInvoices, NOW } from '../integration/api/factories.js';
import { hasChromium, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';

// Three credits the matcher leaves for a person: a payer known by name only paying one
// invoice (2,000.00), a customer paying part of two invoices (1,500.00), a stranger (500.00).
const STATEMENT = [
  'Date;Libellé;Tiers;Montant',
  '13/03/2026;VIREMENT;BETA CONSEIL;2000,00',
  '13/03/2026;REGLEMENT;GAMMA NEGOCE;1500,00',
  '13/03/2026;VIR DIVERS;PARTICULIER X;500,00',
].join('\n');

describe.skipIf(!hasChromium)('bank review queue in Chromium: confirm, split, set aside by keyboard', () => {
  let t: TestDb;
  let web: WebApp;
  let page: Page;
  let base: string;
  let orgId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    web = await startWebApp({
      seed: async (t) => {
        const org = await createDemoOrganisation(t.db);
        orgId = org.id;
        await ensureDemoUser(t.db, org.id);
        const [beta, gamma] = await makeCustomers(t.db, org.id, 2, (i) => ({
          name: i === 0 ? 'Beta Conseil' : 'Gamma Négoce SARL',
          external_ref: `BANK-${i}`,
        }));
        if (!beta || !gamma) throw new Error('customers');
        const [b1] = await makeInvoices(t.db, org.id, [beta.id], 1, () => ({
          invoice_number: 'BR-001',
          gross_minor: 200_000,
        }));
        const [g1, g2] = await makeInvoices(t.db, org.id, [gamma.id], 2, (i) => ({
          invoice_number: `BR-10${i + 1}`,
          gross_minor: i === 0 ? 100_000 : 80_000,
          due_date: i === 0 ? '2026-01-31' : '2026-02-28',
        }));
        Object.assign(ids, { b1: b1?.id, g1: g1?.id, g2: g2?.id });
        const r = await importBankStatement(
          t.db,
          org.id,
          { content: Buffer.from(STATEMENT), filename: 'mars.csv' },
          { now: NOW, actor: 'test' },
        );
        if (r.unmatched !== 3) throw new Error(`expected 3 lines to review, got ${r.unmatched}`);
      },
    });
    ({ t, base, page } = web);
  });

  afterAll(async () => {
    await web?.close();
  });

  const balance = async (id: string | undefined) =>
    Number(
      (
        await t.db
          .selectFrom('invoices')
          .select('balance_minor')
          .where('id', '=', id ?? '')
          .executeTakeFirstOrThrow()
      ).balance_minor,
    );

  it('lists the lines largest first with the proposal and why, in French', async () => {
    await signInAsDemo(page, base);
    await page.getByRole('link', { name: 'Rapprochement' }).click();
    await page.getByRole('heading', { name: 'Rapprochement bancaire' }).waitFor();
    await page.getByTestId('review-line').first().waitFor();
    const amounts = (await page.getByTestId('amount').allTextContents()).map((a) => a.replace(/\s/g, ' '));
    expect(amounts).toEqual(['2 000,00 €', '1 500,00 €', '500,00 €']);
    const first = page.getByTestId('review-line').first();
    const why = await first.locator('.review-why').textContent();
    expect(why).toContain('Nom du donneur d’ordre = nom du client');
    expect(why).toContain('Le montant est le solde d’une facture');
    expect(await first.textContent()).toContain('BR-001');
    const last = await page.getByTestId('review-line').last().textContent();
    expect(last).toContain('Aucune proposition');
    expect(last).not.toMatch(/r_[a-z_]+|no-candidate/);
    await page.screenshot({ path: `${shots}/web-bank-review.png` });
  });

  it('confirms the proposal with Enter: the invoice is paid and the decision is on the line', async () => {
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Paiement enregistré.' }).waitFor();
    expect(await balance(ids.b1)).toBe(0);
    const line = await t.db
      .selectFrom('bank_statement_lines')
      .select(['status', 'decided_by', 'explanation'])
      .where('org_id', '=', orgId)
      .where('amount_minor', '=', 200_000)
      .executeTakeFirstOrThrow();
    expect(line.status).toBe('matched');
    expect(line.decided_by).toBeTruthy();
    expect((line.explanation as { decision: { kind: string } }).decision.kind).toBe('confirm');
  });

  it('splits the next line across two invoices with S', async () => {
    await expect.poll(() => page.getByTestId('review-line').count()).toBe(2);
    await page.keyboard.press('s');
    const form = page.locator('form.review-split');
    await form.waitFor();
    await form.getByLabel('Facture BR-101').fill('700,00');
    await form.getByLabel('Facture BR-102').fill('800,00');
    await form.getByRole('button', { name: 'Enregistrer la répartition' }).click();
    await page.getByRole('status').filter({ hasText: 'Paiement enregistré.' }).waitFor();
    expect([await balance(ids.g1), await balance(ids.g2)]).toEqual([30_000, 0]);
  });

  it('sets the stranger’s transfer aside with N, and the queue is empty', async () => {
    await expect.poll(() => page.getByTestId('review-line').count()).toBe(1);
    await page.keyboard.press('n');
    await page.getByRole('status').filter({ hasText: 'Ligne écartée' }).waitFor();
    await page.getByText('Rien à rapprocher').waitFor();
    const statuses = await t.db
      .selectFrom('bank_statement_lines')
      .select(['status', 'amount_minor'])
      .where('org_id', '=', orgId)
      .orderBy('amount_minor', 'desc')
      .execute();
    expect(statuses.map((s) => s.status)).toEqual(['matched', 'matched', 'not_customer']);
  });
});
