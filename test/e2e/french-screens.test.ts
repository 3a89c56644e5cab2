import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, populateDemo } from '../../src/demo/seed.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import { hasChromium, signInAsDemo, startWebApp, type WebApp } from './browser.js';
import { rawKeys } from './raw-keys.js';

const SCREENS = [
  '/',
  '/worklist',
  '/worklist?view=items',
  '/customers',
  '/invoices',
  '/policies',
  '/run-preview',
  '/letters',
  '/import',
  '/settings',
];

describe.skipIf(!hasChromium)('every screen in French shows no internal key', () => {
  let web: WebApp;
  let page: Page;
  let customerId = '';

  beforeAll(async () => {
    web = await startWebApp({
      seed: async (t) => {
        const org = await createDemoOrganisation(t.db);
        await populateDemo(t.db, org.id, { customers: 20, invoices: 120, seed: 5 });
        await ensureDemoUser(t.db, org.id);
        customerId = (
          await t.db
            .selectFrom('customers')
            .select('id')
            .where('org_id', '=', org.id)
            .executeTakeFirstOrThrow()
        ).id;
      },
    });
    page = web.page;
    await signInAsDemo(page, web.base);
  });
  afterAll(async () => {
    await web?.close();
  });

  for (const path of [...SCREENS, 'customer file']) {
    it(`renders ${path} in French`, async () => {
      const url = path === 'customer file' ? `/customers/${customerId}` : path;
      await page.goto(`${web.base}${url}`);
      await page.locator('main h1').first().waitFor();
      // Let the page's queries answer before reading it.
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
      // biome-ignore lint/performance/useDomNodeTextContent: the text as a reader sees it, words apart
      const text = (await page.locator('body').innerText()) ?? '';
      expect(rawKeys(text), `${url}: internal keys on screen`).toEqual([]);
    });
  }
});
