import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../../src/services/auth/demo-user.js';

/** What every browser test shares: Debian's Chromium, the built web app, the screenshot folder. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const root = fileURLToPath(new URL('../../', import.meta.url));
/** Built once per test run by test/global-setup.ts, so parallel files never race a build. */
export const webDir = `${root}web/dist`;
export const shots = `${root}test-results`;

if (!hasChromium) {
  console.warn(`[relance e2e] ${CHROMIUM} is missing: browser tests skipped (apt-get install -y chromium).`);
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(shots, { recursive: true });
  return chromium.launch({
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
}

/** Listens on a free loopback port and returns the base URL. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('server has no port');
  return `http://127.0.0.1:${addr.port}`;
}

/** Sign in as the demo user through the French sign-in form; returns once the form has gone. */
export async function signInAsDemo(page: Page, base: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Adresse e-mail').fill(DEMO_EMAIL);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('button', { name: 'Se connecter' }).waitFor({ state: 'detached' });
}
