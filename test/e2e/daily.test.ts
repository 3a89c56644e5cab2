import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listWorklistByCustomer } from '../../src/db/queries/worklist-customers.js';
import { createDemoOrganisation, populateDemo } from '../../src/demo/seed.js';
import { addDays, zonedParts } from '../../src/domain/calendar/index.js';
import { ensureDemoUser } from '../../src/services/auth/demo-user.js';
import type { TestDb } from '../helpers/db.js';
import { makeInvoices } from '../integration/api/factories.js';
import { hasChromium, shots, signInAsDemo, startWebApp, type WebApp } from './browser.js';
import { rawKeys } from './raw-keys.js';

describe.skipIf(!hasChromium)('customers page, header search and portal link in Chromium', () => {
  let t: TestDb;
  let web: WebApp;
  let page: Page;
  let base: string;
  let orgId: string;

  beforeAll(async () => {
    web = await startWebApp({
      seed: async (t) => {
        const org = await createDemoOrganisation(t.db);
        orgId = org.id;
        await populateDemo(t.db, org.id, { customers: 40, invoices: 300, seed: 11 });
        await ensureDemoUser(t.db, org.id);
      },
    });
    ({ t, base, page } = web);
    await web.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  });
  afterAll(async () => {
    await web?.close();
  });

  const overdueCells = async () =>
    (await page.getByTestId('customers-table').locator('tbody tr td:nth-child(4)').allTextContents()).map(
      (s) => Number(s.replace(/[^\d,-]/g, '').replace(',', '.')),
    );

  it('opens Clients from the navigation, most overdue first, with French labels only', async () => {
    await signInAsDemo(page, base);
    await page.getByRole('navigation').getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByTestId('customers-table').waitFor();
    const overdue = await overdueCells();
    expect(overdue.length).toBe(25);
    expect([...overdue].sort((a, b) => b - a)).toEqual(overdue);
    const text = (await page.locator('main').textContent()) ?? '';
    for (const h of [
      'Encours',
      'Échu',
      'Plus ancien retard',
      'Chargé de recouvrement',
      'Dernière action',
      'Prochaine action',
      'Signaux',
    ])
      expect(text).toContain(h);
    expect(rawKeys(text)).toEqual([]);
    await page.screenshot({ path: `${shots}/web-customers.png`, fullPage: true });
  });

  it('pages with the cursor and sorts by name', async () => {
    const firstNames = await page
      .getByTestId('customers-table')
      .locator('tbody tr td:first-child')
      .allTextContents();
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await expect
      .poll(async () => await page.getByTestId('customers-table').locator('tbody tr').count(), {
        timeout: 10_000,
      })
      .toBe(15);
    const second = await page
      .getByTestId('customers-table')
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(second.filter((n) => firstNames.includes(n))).toEqual([]);
    await page.getByLabel('Trier par').selectOption({ label: 'Nom' });
    // The database's collation decides the order, as it does for the cursor.
    const expected = await t.db
      .selectFrom('customers')
      .select('name')
      .where('org_id', '=', orgId)
      .orderBy('name')
      .orderBy('id')
      .limit(25)
      .execute();
    await expect
      .poll(
        async () => page.getByTestId('customers-table').locator('tbody tr td:first-child').allTextContents(),
        { timeout: 10_000 },
      )
      .toEqual(expected.map((r) => r.name));
  });

  it('searches as you type and exports what is shown as a French CSV', async () => {
    const target = await t.db
      .selectFrom('customers')
      .select(['name', 'external_ref'])
      .where('org_id', '=', orgId)
      .orderBy('name')
      .executeTakeFirstOrThrow();
    await page.getByRole('main').getByLabel('Rechercher').fill(target.external_ref);
    await expect
      .poll(async () => page.getByTestId('customers-table').locator('tbody tr').count(), { timeout: 10_000 })
      .toBe(1);
    expect(await page.getByTestId('customers-table').locator('tbody tr td').first().textContent()).toBe(
      target.name,
    );
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exporter en CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]?.split(';')[0]).toBe('Clients');
    expect(lines[1]).toContain(target.external_ref);
    expect(lines[1]?.split(';')[2]).toMatch(/^\d+,\d{2}$/);
  });

  it('finds an invoice from the header search with "/" and opens its customer file', async () => {
    const inv = await t.db
      .selectFrom('invoices as i')
      .innerJoin('customers as c', (j) =>
        j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.customer_id'),
      )
      .select(['i.invoice_number', 'c.name', 'c.id'])
      .where('i.org_id', '=', orgId)
      .orderBy('i.invoice_number', 'desc')
      .executeTakeFirstOrThrow();
    await page.locator('h1').click();
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement?.id')).toBe('global-search');
    await page.keyboard.type(inv.invoice_number);
    const hit = page.getByTestId('search-results').locator('li[data-kind="invoice"]').first();
    await hit.waitFor();
    expect(await hit.textContent()).toContain(inv.name);
    expect(await hit.textContent()).toContain('Facture');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: inv.name, level: 1 }).waitFor();
    expect(page.url()).toBe(`${base}/customers/${inv.id}`);
  });

  it('focuses the search with Ctrl+K and says when nothing matches', async () => {
    await page.locator('h1').click();
    await page.keyboard.press('Control+k');
    expect(await page.evaluate('document.activeElement?.id')).toBe('global-search');
    await page.keyboard.type('zzzqqq');
    await page.getByTestId('search-results').getByText('Aucun résultat.').waitFor();
    await page.keyboard.press('Escape');
  });

  it('copies a fresh portal link from the customer file', async () => {
    const url = page.url();
    const customerId = url.slice(url.lastIndexOf('/') + 1);
    await page.getByRole('button', { name: 'Copier le lien du portail' }).click();
    const status = page.getByTestId('portal-link').getByRole('status');
    await status.waitFor();
    expect(await status.textContent()).toContain('Lien copié dans le presse-papiers.');
    const shown = await page.getByLabel('Lien du portail client').inputValue();
    expect(shown.startsWith(`${base}/portal`)).toBe(true);
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(shown);
    const links = await t.db
      .selectFrom('portal_links')
      .select('customer_id')
      .where('org_id', '=', orgId)
      .execute();
    expect(links.map((l) => l.customer_id)).toEqual([customerId]);
    const mail = await page.getByRole('link', { name: 'Envoyer par e-mail' }).getAttribute('href');
    expect(mail).toContain(encodeURIComponent(shown));
    // The debtor's page opens with the link.
    const portal = await web.context.newPage();
    await portal.goto(shown);
    await portal.locator('body').getByText(/./).first().waitFor();
    expect(portal.url()).toContain('/portal');
    await portal.close();
    await page.screenshot({ path: `${shots}/web-portal-link.png` });
  });
  it('shows the worklist one line per customer, approves a waiting send and closes a task from the line', async () => {
    const groups = await listWorklistByCustomer(
      t.db,
      orgId,
      { asOf: zonedParts(new Date(), 'Europe/Paris').date },
      { limit: 200 },
    );
    // The top line (shown first on the page) gets two more overdue invoices, so its line folds
    // several items whatever the demo put first (disputes' tasks now rank at the top).
    const first = groups.items[0];
    const withSend = first?.id as string;
    const today = zonedParts(new Date(), 'Europe/Paris').date;
    await makeInvoices(t.db, orgId, [withSend], 2, (i) => ({
      invoice_number: `E2E-FOLD-${i + 1}`,
      issue_date: addDays(today, -60),
      due_date: addDays(today, -30),
    }));
    const withTask = withSend;
    await t.db
      .insertInto('dunning_actions')
      .values({
        org_id: orgId,
        idempotency_key: 'e2e-approval-0001',
        channel: 'email',
        customer_id: withSend,
        policy_id: crypto.randomUUID(),
        policy_key: 'standard',
        policy_version: 1,
        step_key: 'reminder-1',
        kind: 'send',
        items: JSON.stringify([]),
        reason: 'due',
        planned_for: '2026-01-01',
        status: 'awaiting_approval',
      })
      .execute();
    const task = await t.db
      .insertInto('tasks')
      .values({
        org_id: orgId,
        customer_id: withTask,
        kind: 'call',
        title: 'Appeler la comptabilité',
        due_date: '2026-01-02',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await page.getByRole('navigation').getByRole('link', { name: 'À traiter' }).click();
    const lines = page.getByTestId('worklist-customers').locator('li.wl-customer');
    await lines.first().waitFor();
    const customers = await lines.evaluateAll((els) => els.map((e) => e.getAttribute('data-customer')));
    expect(customers.length).toBeGreaterThan(1);
    expect(new Set(customers).size).toBe(customers.length);
    // Several invoices of one customer fold into its line, with the total at stake.
    const folded = page.locator(`li.wl-customer[data-customer="${withTask}"]`);
    await folded.waitFor();
    expect(Number((await folded.getByTestId('items-count').textContent())?.split(' ')[0])).toBeGreaterThan(1);
    expect(await folded.getByTestId('at-stake').textContent()).toMatch(/€/);
    expect(rawKeys((await page.locator('main').textContent()) ?? '')).toEqual([]);

    const sendLine = page.locator(`li.wl-customer[data-customer="${withSend}"]`);
    await sendLine.getByText('1 envoi(s) à valider').waitFor();
    await sendLine.getByRole('button', { name: 'Valider l’envoi' }).click();
    await page.getByRole('status').filter({ hasText: 'Envoi validé' }).waitFor();
    const action = await t.db
      .selectFrom('dunning_actions')
      .select('status')
      .where('org_id', '=', orgId)
      .where('idempotency_key', '=', 'e2e-approval-0001')
      .executeTakeFirstOrThrow();
    expect(action.status).toBe('planned');

    await folded.getByText('Voir le détail').click();
    const row = folded.locator('li.wl-row[data-type="task"]').filter({ hasText: 'Appeler la comptabilité' });
    await row.getByRole('button', { name: 'Clore' }).click();
    await row.getByLabel('Résultat').fill('Comptable joint, virement lundi');
    await row.getByRole('button', { name: 'Clore la tâche' }).click();
    await page.getByRole('status').filter({ hasText: 'Tâche close.' }).waitFor();
    const closed = await t.db
      .selectFrom('tasks')
      .select(['status', 'outcome'])
      .where('org_id', '=', orgId)
      .where('id', '=', task.id)
      .executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'done', outcome: 'Comptable joint, virement lundi' });
    await page.screenshot({ path: `${shots}/web-worklist-customers.png`, fullPage: true });
  });
  it('lists invoices overdue first with the amount incl. tax, searches them, totals every page and exports them', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Factures' }).click();
    await page.getByTestId('invoices-table').waitFor();
    const late = (
      await page.getByTestId('invoices-table').locator('tbody tr td:nth-child(7)').allTextContents()
    ).map((s) => Number(s.replace(/\D/g, '') || '0'));
    expect(late.length).toBe(25);
    expect([...late].sort((a, b) => b - a)).toEqual(late);
    expect(await page.getByRole('columnheader', { name: 'Montant TTC' }).count()).toBe(1);
    const customer = await t.db
      .selectFrom('invoices as i')
      .innerJoin('customers as c', (j) =>
        j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.customer_id'),
      )
      .select(['c.name', 'c.id'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .select(sql<number>`sum(i.gross_minor)::bigint`.as('gross'))
      .where('i.org_id', '=', orgId)
      .groupBy(['c.name', 'c.id'])
      .orderBy(sql`count(*)`, 'desc')
      .executeTakeFirstOrThrow();
    await page.getByRole('main').getByLabel('Rechercher').fill(customer.name);
    const totals = page.getByTestId('invoice-totals');
    await expect
      .poll(async () => (await totals.textContent()) ?? '', { timeout: 10_000 })
      .toContain(`${customer.n} facture(s)`);
    const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(
      Number(customer.gross) / 100,
    );
    expect(await totals.textContent()).toContain(euros);
    const names = await page
      .getByTestId('invoices-table')
      .locator('tbody tr td:nth-child(2)')
      .allTextContents();
    expect(new Set(names)).toEqual(new Set([customer.name]));
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exporter en CSV' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]?.split(';').slice(0, 5)).toEqual([
      'N° de facture',
      'Client',
      'Émise le',
      'Échéance',
      'Montant TTC',
    ]);
    expect(lines.length - 1).toBe(Math.min(Number(customer.n), 25));
    expect(rawKeys((await page.locator('main').textContent()) ?? '')).toEqual([]);
    await page.screenshot({ path: `${shots}/web-invoices-search.png`, fullPage: true });
  });
  it('sums up the run preview in one French sentence', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Prochaine relance' }).click();
    const summary = page.getByTestId('run-summary');
    await expect
      .poll(async () => (await summary.textContent()) ?? '', { timeout: 60_000 })
      .toMatch(/\d+ envoi\(s\) prévu\(s\) pour \d+ client\(s\) examiné\(s\), \d+ reporté\(s\)/);
    const text = (await summary.textContent()) ?? '';
    const postponed = Number(/(\d+) reporté/.exec(text)?.[1]);
    if (postponed > 0)
      expect(text).toMatch(/pourquoi : \d+ (heures de tranquillité|dimanche|jour férié|trop de relances)/);
    expect(await page.locator('main').textContent()).not.toMatch(
      /quiet hours|public holiday|pressure limit/i,
    );
  });
});
