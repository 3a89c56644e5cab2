import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LetterChannel } from '../../../src/channels/letter/letter-channel.js';
import { FR_B2B_STANDARD } from '../../../src/domain/dunning/index.js';
import { DEFAULT_TEMPLATES } from '../../../src/domain/templates/index.js';
import { runDunning } from '../../../src/services/dunning/run-dunning.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { keyFor, makeCustomers, makeInvoices, type OrgFixture, orgWithKey, testServer } from './factories.js';

/** Monday 16 March 2026, 11:00 in Paris: the invoice due 5 March is at J+11, the first reminder. */
const MONDAY = new Date('2026-03-16T10:00:00Z');

describeEngines('message templates: edit, preview, send', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let viewer: { authorization: string };
  let customerId: string;
  const url = '/api/v1/dunning/templates/first_reminder/fr';
  const preview = (body: object = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/dunning/policies/${FR_B2B_STANDARD.id}/preview`,
      headers: a.auth,
      payload: { customerId, stepIndex: 1, lang: 'fr', ...body },
    });

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t, MONDAY);
    a = await orgWithKey(t.db, 'Modèles SA');
    viewer = { authorization: `Bearer ${await keyFor(t.db, a.org.id, 'viewer')}` };
    const [c] = await makeCustomers(t.db, a.org.id, 1, () => ({
      name: 'Dupont <b>SARL</b>',
      address_line1: '1 rue Test',
      postal_code: '69001',
      city: 'Lyon',
    }));
    customerId = (c as { id: string }).id;
    await makeInvoices(t.db, a.org.id, [customerId], 1, () => ({
      customer_id: customerId,
      invoice_number: 'F-TPL-1',
      due_date: '2026-03-05',
      issue_date: '2026-02-05',
    }));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/dunning/templates', '/api/v1/dunning/templates/{key}/{locale}']),
    );
  });

  it('lists every key × language with its default text and no edit', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/dunning/templates', headers: viewer });
    expect(res.statusCode).toBe(200);
    const list = res.json().templates as { templateKey: string; locale: string; version: number }[];
    expect(list).toHaveLength(Object.keys(DEFAULT_TEMPLATES).length * 2);
    const one = await app.inject({ method: 'GET', url, headers: viewer });
    expect(one.json()).toMatchObject({
      templateKey: 'first_reminder',
      locale: 'fr',
      version: 0,
      override: { subject: null, html: null, text: null, sms: null, letter: null },
      defaults: { subject: DEFAULT_TEMPLATES.first_reminder?.fr?.subject },
    });
    expect(one.json().defaults.html).toContain('{{#each invoices}}');
    const missing = await app.inject({
      method: 'GET',
      url: '/api/v1/dunning/templates/nope/fr',
      headers: viewer,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses an unknown variable with the part and line, and a non-admin', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url,
      headers: a.auth,
      payload: { text: 'Bonjour,\n{{client.nom}}' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors ?? bad.json().details).toEqual([
      expect.objectContaining({ field: 'text', line: 2, reason: 'unknown variable "client.nom"' }),
    ]);
    const forbidden = await app.inject({ method: 'PUT', url, headers: viewer, payload: { subject: 'x' } });
    expect(forbidden.statusCode).toBe(403);
    const draft = await preview({ templateDraft: { subject: '{{#if}}' } });
    expect(draft.statusCode).toBe(400);
  });

  it('previews a draft without saving it, escaping the customer name in HTML', async () => {
    const res = await preview({
      templateDraft: { subject: 'Brouillon {{first.number}}', html: '<p>{{customer.name}}</p>' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().message.subject).toBe('Brouillon F-TPL-1');
    expect(res.json().message.html).toBe('<p>Dupont &lt;b&gt;SARL&lt;/b&gt;</p>');
    const stored = await t.db.selectFrom('message_templates').selectAll().execute();
    expect(stored).toEqual([]);
  });

  it('a saved edit changes what the send renders, and the preview equals the send hash', async () => {
    const put = await app.inject({
      method: 'PUT',
      url,
      headers: a.auth,
      payload: { subject: 'Rappel maison {{first.number}}', sms: null },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      version: 1,
      override: { subject: 'Rappel maison {{first.number}}', html: null },
    });
    expect(put.json().updatedBy).toMatch(/^api-key:/);

    const p = await preview();
    expect(p.json().message.subject).toBe('Rappel maison F-TPL-1');
    expect(p.json().stepKey).toBe('first_reminder');

    await runDunning(t.db, a.org.id, {
      at: MONDAY,
      dryRun: false,
      delivery: {
        channels: { letter: new LetterChannel() },
        workerId: 'tpl',
        log: pino({ level: 'silent' }),
      },
    });
    const sent = await t.db
      .selectFrom('dunning_actions')
      .select(['id', 'rendered_sha256', 'status', 'template_key'])
      .where('org_id', '=', a.org.id)
      .where('customer_id', '=', customerId)
      .execute();
    expect(sent).toEqual([
      expect.objectContaining({
        rendered_sha256: p.json().message.sha256,
        status: 'sent',
        template_key: 'first_reminder',
      }),
    ]);
    const msg = await t.db
      .selectFrom('sent_messages')
      .select(['subject'])
      .where('org_id', '=', a.org.id)
      .execute();
    expect(msg).toEqual([{ subject: 'Rappel maison F-TPL-1' }]);
    const ev = await sql<{ payload: { templateVersion?: number } }>`
      select payload from evidence where org_id = ${a.org.id} and kind = 'message_sent'`.execute(t.db);
    expect(ev.rows.map((r) => r.payload.templateVersion)).toEqual([1]);
  });

  it('a reset goes back to the default as a new version, keeping the old one', async () => {
    const del = await app.inject({ method: 'DELETE', url, headers: a.auth });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toMatchObject({ version: 2, override: { subject: null } });
    const p = await preview();
    expect(p.json().message.subject).toBe('Relance : facture F-TPL-1 échue – Modèles SA');
    const versions = await t.db
      .selectFrom('message_templates')
      .select(['version', 'subject'])
      .where('org_id', '=', a.org.id)
      .orderBy('version')
      .execute();
    expect(versions).toEqual([
      { version: 1, subject: 'Rappel maison {{first.number}}' },
      { version: 2, subject: null },
    ]);
  });
});
