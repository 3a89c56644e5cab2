import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../src/db/connection.js';
import { createDemoOrganisation } from '../../src/demo/seed.js';
import { fromDay, toDay } from '../../src/domain/scoring/days.js';
import { createUser } from '../../src/services/auth/create-user.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { seedSyntheticLedger } from '../fixtures/scoring/seed-ledger.js';
import { syntheticPortfolio } from '../fixtures/scoring/synthetic-ar.js';
import { describeEngines } from '../helpers/db.js';
import { hasChromium, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';
import { rawKeys } from './raw-keys.js';

const SLOW = 240_000;
// The server runs on the real clock (a session cookie outlives only a real "now"), so the
// ledger is dated from yesterday: settled before it is paid, settled after it is still open.
const TODAY = fromDay(toDay(new Date().toISOString().slice(0, 10)) - 1);
const VIEWER = 'lecteur@relance.local';
const BANDS = ['faible', 'moyen', 'élevé', 'critique'];
const plain = (s: string) => s.replace(/\u202f|\u00a0/g, ' ').trim();

interface ApiCustomerRisk {
  customerId: string;
  scoredOn: string;
  name: string;
  score: number;
  band: string;
  factors: { fr: string; en: string }[];
}

describeEngines('risk model in the web app', (engine) => {
  if (!hasChromium) {
    it.skip('needs /usr/bin/chromium', () => undefined);
    return;
  }
  let web: WebApp;
  let page: Page;
  let base: string;
  let orgId: string;
  let first: ApiCustomerRisk;

  beforeAll(async () => {
    web = await startWebApp({
      engine,
      // 30 customers with persistent habits, ~20 months of paid history; invoices settled on or
      // after TODAY are still open, so there is something to forecast.
      seed: async (t) => {
        orgId = (await createDemoOrganisation(t.db)).id;
        await ensureDemoUser(t.db, orgId);
        await createUser(t.db, orgId, {
          email: VIEWER,
          name: 'Lecteur',
          password: 'lecteur-risque',
          role: 'viewer',
        });
        const p = syntheticPortfolio({
          seed: 31,
          customers: 30,
          invoices: 800,
          from: fromDay(toDay(TODAY) - 600),
          days: 640,
        });
        await withOrg(t.db, orgId, (trx) => seedSyntheticLedger(trx, orgId, p, TODAY));
      },
      page: { viewport: { width: 1280, height: 1400 }, locale: 'fr-FR' },
    });
    ({ base, page } = web);
  }, SLOW);

  afterAll(async () => {
    await web?.close();
  });

  it(
    'says no model is trained, trains from the button, then shows scores, factors and the forecast',
    async () => {
      await signInAsDemo(page, base);
      await page.getByRole('heading', { name: 'Clients à risque' }).waitFor();

      // Before any training: said in words, with the admin's button; no blank table.
      const noModel = page.getByTestId('risk-no-model');
      await noModel.waitFor();
      expect(await noModel.textContent()).toContain('Aucun modèle de risque n’est encore entraîné');
      expect(await page.getByTestId('at-risk').count()).toBe(0);
      // The forecast still comes, from the documented prior, and says so.
      const forecast = page.getByTestId('cash-in-forecast');
      await forecast.getByText('Prévision établie avec les hypothèses par défaut').waitFor();

      // A viewer reads the same notice, without the button.
      const viewer = await web.context.browser()?.newContext({ locale: 'fr-FR' });
      const vpage = await viewer?.newPage();
      if (!viewer || !vpage) throw new Error('no second browser context');
      await vpage.goto(base);
      await vpage.getByLabel('Adresse e-mail').fill(VIEWER);
      await vpage.getByLabel('Mot de passe').fill('lecteur-risque');
      await vpage.getByRole('button', { name: 'Se connecter' }).click();
      const vNotice = vpage.getByTestId('risk-no-model');
      await vNotice.getByText('Un administrateur peut lancer le calcul.').waitFor();
      expect(await vNotice.getByRole('button').count()).toBe(0);
      await viewer.close();

      const trained = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/risk/models') && r.request().method() === 'POST',
      );
      await noModel.getByRole('button', { name: 'Calculer le score' }).click();
      expect((await trained).status()).toBe(201);

      const table = page.getByTestId('at-risk');
      await table.waitFor();
      await expect.poll(() => noModel.count()).toBe(0);
      const top = await page.evaluate(async () => {
        const r = await fetch('/api/v1/risk/customers?limit=10');
        return ((await r.json()) as { items: ApiCustomerRisk[] }).items;
      });
      expect(top.length).toBeGreaterThan(0);
      first = top[0] as ApiCustomerRisk;
      const firstRow = table.locator('tbody tr').first();
      const cells = (await firstRow.locator('td').allTextContents()).map(plain);
      expect(cells[0]).toBe(first.name);
      expect(cells[1]).toBe(String(first.score));
      expect(BANDS).toContain(cells[2]);
      expect(cells[3]).toBe(first.factors[0]?.fr);
      expect(cells[3]).toMatch(/paie|factures?|litige|promesse|délai/);

      // The forecast chart: a P10–P90 band and an expected line, 13 weeks in its table, model-based now.
      const chart = forecast.getByTestId('cash-in-USD');
      await chart.locator('.recharts-area-area').waitFor();
      expect(await chart.locator('.recharts-line-curve').count()).toBe(1);
      expect(await chart.locator('table tbody tr').count()).toBe(13);
      expect(await chart.locator('table thead').textContent()).toContain('Semaine du');
      await expect
        .poll(() => forecast.getByText('Prévision établie avec les hypothèses par défaut').count())
        .toBe(0);
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (breaks between cells) is what is checked for keys
      const dashText = plain(await page.locator('main').innerText());
      expect(dashText).toContain('Encaissements attendus');
      expect(rawKeys(dashText)).toEqual([]);
      await page.screenshot({ path: `${shots}/risk-dashboard.png`, fullPage: true });

      // The customer file, through the dashboard's link.
      await firstRow.getByRole('link', { name: first.name }).click();
      const card = page.getByTestId('customer-risk');
      await card.getByTestId('risk-score').waitFor();
      expect(plain((await card.getByTestId('risk-score').textContent()) ?? '')).toBe(`${first.score} / 100`);
      expect(BANDS).toContain(plain((await card.getByTestId('risk-band').textContent()) ?? ''));
      const factors = (await card.getByTestId('risk-factors').locator('li').allTextContents()).map(plain);
      expect(factors).toEqual(first.factors.map((f) => f.fr));
      // One score so far: one point, and the sentence that says the history fills in daily.
      const history = card.getByTestId('risk-history');
      await history.locator('.recharts-line-dot').first().waitFor();
      expect(await history.locator('.recharts-line-dot').count()).toBe(1);
      expect(await card.textContent()).toContain('Un seul score calculé pour l’instant');
      // Two earlier days on record (as the nightly job leaves them): the line joins three points.
      await withOrg(web.t.db, orgId, (trx) =>
        trx
          .insertInto('customer_risk_scores')
          .values(
            [20, 10].map((ago, k) => ({
              org_id: orgId,
              customer_id: first.customerId,
              scored_on: fromDay(toDay(first.scoredOn) - ago),
              model_version: 1,
              score: 40 + 10 * k,
              band: 'moyen',
              p_late: (40 + 10 * k) / 100,
              factors: JSON.stringify([]),
            })),
          )
          .execute(),
      );
      await page.reload();
      await history.locator('.recharts-line-dot').nth(2).waitFor();
      expect(await history.locator('.recharts-line-dot').count()).toBe(3);
      expect(await history.locator('.recharts-line-curve').getAttribute('d')).toMatch(/^M.+L.+L/);
      expect(await card.textContent()).not.toContain('Un seul score calculé');
      expect(plain((await card.getByTestId('risk-score').textContent()) ?? '')).toBe(`${first.score} / 100`);
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (breaks between cells) is what is checked for keys
      const cardText = plain(await card.innerText());
      expect(rawKeys(cardText)).toEqual([]);
      await page.screenshot({ path: `${shots}/risk-customer-file.png`, fullPage: true });
    },
    SLOW,
  );
  it(
    'says it in English when the UI is in English',
    async () => {
      await page.goto(base);
      await page.getByLabel('Langue').selectOption('en');
      const table = page.getByTestId('at-risk');
      await page.getByRole('heading', { name: 'Customers at risk' }).waitFor();
      await table.waitFor();
      const cells = (await table.locator('tbody tr').first().locator('td').allTextContents()).map(plain);
      expect(cells[0]).toBe(first.name);
      expect(['low', 'medium', 'high', 'critical']).toContain(cells[2]);
      expect(cells[3]).toBe(first.factors[0]?.en);
      await page.getByRole('heading', { name: 'Expected collections' }).waitFor();
      expect(await page.getByTestId('cash-in-forecast').locator('table thead').textContent()).toContain(
        'Week of',
      );
      await table.getByRole('link', { name: first.name }).click();
      const card = page.getByTestId('customer-risk');
      await card.getByRole('heading', { name: 'Risk score' }).waitFor();
      await card.getByTestId('risk-factors').locator('li').first().waitFor();
      const factors = (await card.getByTestId('risk-factors').locator('li').allTextContents()).map(plain);
      expect(factors).toEqual(first.factors.map((f) => f.en));
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (breaks between cells) is what is checked for keys
      expect(rawKeys(plain(await card.innerText()))).toEqual([]);
    },
    SLOW,
  );
});
