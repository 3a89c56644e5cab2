import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { buildServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config.js';
import type { Engine } from '../../src/db/connection.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../../src/services/auth/demo-user.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

/** What every browser test shares: Debian's Chromium, the built web app, the screenshot folder. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const root = fileURLToPath(new URL('../../', import.meta.url));
/** Built once per test run by test/global-setup.ts, so parallel files never race a build. */
export const webDir = `${root}web/dist`;
export const shots = `${root}test-results`;

// In CI a missing browser fails the run: .ci/run installs it, and a CI that skipped every
// browser test would pass without having looked at a single screen.
if (!hasChromium && process.env.CI) {
  throw new Error(`CI is set but ${CHROMIUM} is missing: the browser tests cannot run`);
}

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

/** A running Relance web app on a fresh test database, with one Chromium page on it. */
export interface WebApp {
  t: TestDb;
  app: FastifyInstance;
  base: string;
  browser: Browser;
  /** The page's context: more pages for the same browser session come from here. */
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export interface WebAppOptions {
  /** The file's own rows, written before the server starts. */
  seed: (t: TestDb) => Promise<void>;
  engine?: Engine;
  /** Configuration on top of LOG_LEVEL=silent. */
  config?: Record<string, string>;
  now?: () => Date;
  /** Viewport, locale… of the first page (desktop 1280×900 in French unless told). */
  page?: BrowserContextOptions;
}

/**
 * What every browser test file did in its beforeAll: a database, its seed, the server on a
 * loopback port, Chromium and a page. close() undoes it in reverse, and so does a failed
 * start, so a broken seed never leaves a Chromium or a port behind.
 */
export async function startWebApp(opts: WebAppOptions): Promise<WebApp> {
  const undo: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  try {
    const t = await createTestDb(opts.engine ?? 'pglite');
    undo.push(() => t.drop());
    await opts.seed(t);
    const app = await buildServer({
      handle: t,
      config: loadConfig({ LOG_LEVEL: 'silent', ...opts.config }),
      log: pino({ level: 'silent' }),
      webDir,
      ...(opts.now ? { now: opts.now } : {}),
    });
    undo.push(() => app.close());
    const base = await listenOnLoopback(app);
    const browser = await launchChromium();
    undo.push(() => browser.close());
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
      ...opts.page,
    });
    const page = await context.newPage();
    return { t, app, base, browser, context, page, close };
  } catch (err) {
    await close();
    throw err;
  }
}
