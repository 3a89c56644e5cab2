import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config.js';
import { createDemoOrganisation, populateDemo } from '../../src/demo/seed.js';
import { DEMO_EMAIL, DEMO_PASSWORD, ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../', import.meta.url));
const webDir = `${root}web/dist`;
const shots = `${root}test-results`;
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`[relance e2e] ${CHROMIUM} is missing: web e2e skipped (apt-get install -y chromium).`);
}

describe.skipIf(!hasChromium)('web app in Chromium: sign in, dashboard, invoices', () => {
  let t: TestDb;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(`${webDir}/index.html`)) {
      const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
        cwd: root,
        stdio: 'inherit',
      });
      if (r.status !== 0) throw new Error('web build failed');
    }
    mkdirSync(shots, { recursive: true });
    t = await createTestDb('pglite');
    const org = await createDemoOrganisation(t.db);
    await populateDemo(t.db, org.id, { customers: 40, invoices: 300, seed: 7 });
    await ensureDemoUser(t.db, org.id);
    app = await buildServer({
      handle: t,
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      log: pino({ level: 'silent' }),
      webDir,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('server has no port');
    base = `http://127.0.0.1:${addr.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await t?.drop();
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

    await page.getByLabel('En retard uniquement').check();
    await expect.poll(() => page.url()).toContain('overdue=true');
    expect(page.url()).not.toContain('cursor=');
    await page.waitForLoadState('networkidle');
    const days = await page
      .getByTestId('invoices-table')
      .locator('tbody tr td:nth-child(6)')
      .allTextContents();
    expect(days.length).toBeGreaterThan(0);
    for (const d of days) expect(Number(d.replace(/\D/g, ''))).toBeGreaterThan(0);
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
