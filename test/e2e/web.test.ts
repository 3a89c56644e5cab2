import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, populateDemo } from '../../src/demo/seed.js';
import { DEMO_EMAIL, DEMO_PASSWORD, ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { hasChromium, shots, startWebApp, type WebApp } from './browser.js';

describe.skipIf(!hasChromium)('web app in Chromium: sign in, dashboard, invoices', () => {
  let web: WebApp;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    web = await startWebApp({
      seed: async (t) => {
        const org = await createDemoOrganisation(t.db);
        await populateDemo(t.db, org.id, { customers: 40, invoices: 300, seed: 7 });
        await ensureDemoUser(t.db, org.id);
      },
    });
    ({ base, page } = web);
  });

  afterAll(async () => {
    await web?.close();
  });

  it('refuses a wrong password, then signs in through the form and shows the dashboard KPIs', async () => {
    await page.goto(base);
    await page.getByLabel('Adresse e-mail').fill(DEMO_EMAIL);
    await page.getByLabel('Mot de passe').fill('not-the-password');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('incorrect');
    await page.screenshot({ path: `${shots}/web-sign-in.png` });

    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('kpi-receivables').waitFor();
    const receivables = await page.getByTestId('kpi-receivables').textContent();
    // French formatting: the euro sign after the amount, a comma for decimals.
    expect(receivables).toMatch(/Encours clients[\d\s\u202f\u00a0.]+,\d{2}\s?€/);
    expect(await page.getByTestId('kpi-dso').textContent()).toMatch(/\d+,\d jours/);
    expect(await page.getByTestId('top-overdue').locator('tbody tr').count()).toBeGreaterThan(0);
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    await page.screenshot({ path: `${shots}/web-dashboard.png`, fullPage: true });
  });

  it('lists invoices, filters the overdue ones and pages with the cursor', async () => {
    await page.getByRole('link', { name: 'Factures' }).click();
    const rows = page.getByTestId('invoices-table').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(25);
    const firstBefore = await rows.first().locator('td').first().textContent();
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await expect.poll(() => page.url()).toContain('cursor=');
    await expect.poll(() => rows.first().locator('td').first().textContent()).not.toBe(firstBefore);

    // The checkbox follows the URL, and the router updates the URL in a transition: click, then
    // wait for the state, rather than check() which expects the change within the click.
    const overdueOnly = page.getByLabel('En retard uniquement');
    await overdueOnly.click();
    await expect.poll(() => overdueOnly.isChecked()).toBe(true);
    await expect.poll(() => page.url()).toContain('overdue=true');
    expect(page.url()).not.toContain('cursor=');
    // The table swaps to the filtered page some time after the URL: wait for rows that are all
    // overdue rather than for the network to be quiet (networkidle costs 500 ms and races React).
    const daysLate = page.getByTestId('invoices-table').locator('tbody tr td:nth-child(6)');
    await expect
      .poll(async () => {
        const days = await daysLate.allTextContents();
        return days.length > 0 && days.every((d) => Number(d.replace(/\D/g, '')) > 0);
      })
      .toBe(true);
    await page.screenshot({ path: `${shots}/web-invoices.png`, fullPage: true });
  });

  it('switches to English and signs out back to the form', async () => {
    await page.getByLabel('Langue').selectOption('en');
    await page
      .getByRole('navigation', { name: 'Navigation' })
      .getByRole('link', { name: 'Dashboard' })
      .click();
    await page.getByText('Receivables').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email address').waitFor();
    const session = await page.request.get(`${base}/api/v1/auth/session`);
    expect(session.status()).toBe(401);
  });
});
