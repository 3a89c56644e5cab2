import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/server.js';
import { loadConfig } from '../../../src/config.js';
import { withOrg } from '../../../src/db/connection.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { listEvidence } from '../../../src/db/queries/evidence.js';
import { channelSetFromConfig } from '../../../src/services/dunning/channel-set.js';
import { runDunning, runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { type SmtpFixture, startSmtpFixture } from './smtp-fixture.js';

const SECRET = 'tracking-test-secret-0123456789';

describeEngines('email open and click tracking (opt-in per organisation)', (engine) => {
  let t: TestDb;
  let smtp: SmtpFixture;
  let app: FastifyInstance;
  let base: string;
  const orgs: Record<'tracked' | 'private', { id: string; customerId: string }> = {} as never;

  beforeAll(async () => {
    t = await createTestDb(engine);
    smtp = await startSmtpFixture();
    for (const [name, tracking] of [
      ['tracked', true],
      ['private', false],
    ] as const) {
      const org = await createOrganisation(t.db, { name: `Suivi ${name} SAS` });
      await t.db
        .updateTable('organisations')
        .set({
          email: `relances@${name}.example`,
          settings: JSON.stringify({
            channels: { smtp: { host: '127.0.0.1', port: smtp.port, secure: false }, email: { tracking } },
          }),
        })
        .where('id', '=', org.id)
        .execute();
      const c = await t.db
        .insertInto('customers')
        .values({ org_id: org.id, external_ref: 'T1', name: `Client ${name}` })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto('contacts')
        .values({
          org_id: org.id,
          customer_id: c.id,
          email: `compta@client-${name}.example`,
          is_primary: true,
        })
        .execute();
      // 8 days late on 2026-11-19: the first reminder, by email.
      await t.db
        .insertInto('invoices')
        .values({
          org_id: org.id,
          customer_id: c.id,
          invoice_number: `FT-${name}`,
          issue_date: '2026-10-01',
          due_date: '2026-11-11',
          currency: 'EUR',
          gross_minor: 30_000,
        })
        .execute();
      await refreshBalances(t.db, org.id, { all: true });
      orgs[name] = { id: org.id, customerId: c.id };
    }
    const config = loadConfig({ LOG_LEVEL: 'silent', RELANCE_SECRET: SECRET });
    app = await buildServer({ handle: t, config, log: pino({ level: 'silent' }), webDir: false });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    config.PUBLIC_URL = base;
    const log = pino({ level: 'silent' });
    for (const o of Object.values(orgs)) {
      await runDunning(t.db, o.id, {
        at: await runInstant(t.db, o.id, '2026-11-19'),
        dryRun: false,
        delivery: {
          channels: channelSetFromConfig(config, log),
          workerId: 'tracking-test',
          log,
          secret: SECRET,
          portalBaseUrl: base,
        },
      });
    }
    expect(smtp.received).toHaveLength(2);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await t?.drop();
  });

  const htmlOf = (to: string) => {
    const m = smtp.received.find((r) => r.envelopeTo[0] === to);
    return typeof m?.parsed.html === 'string' ? m.parsed.html : '';
  };
  const status = async (orgId: string) =>
    (
      await t.db
        .selectFrom('message_deliveries')
        .select('status')
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow()
    ).status;

  it('adds no pixel and wraps no link unless the organisation opted in', () => {
    const html = htmlOf('compta@client-private.example');
    expect(html).toContain(`${base}/portal`);
    expect(html).not.toContain('/hooks/t/');
  });

  it('records an open and a click once each, on the delivery and the timeline, and redirects to the real link', async () => {
    const html = htmlOf('compta@client-tracked.example');
    const pixel = /<img src="([^"]+\/o\.gif\?t=[^"]+)"/.exec(html)?.[1] ?? '';
    const link = (/href="([^"]+\/hooks\/t\/c\?[^"]+)"/.exec(html)?.[1] ?? '').replace(/&amp;/g, '&');
    expect(pixel.startsWith(`${base}/hooks/t/`)).toBe(true);
    expect(link).not.toBe('');
    for (let i = 0; i < 2; i++) {
      const p = await fetch(pixel);
      expect(p.status).toBe(200);
      expect(p.headers.get('content-type')).toBe('image/gif');
    }
    expect(await status(orgs.tracked.id)).toBe('opened');
    const click = await fetch(link, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe(new URL(link).searchParams.get('u'));
    expect(click.headers.get('location')?.startsWith(`${base}/portal`)).toBe(true);
    expect(await status(orgs.tracked.id)).toBe('clicked');
    const entries = await withOrg(t.db, orgs.tracked.id, (trx) =>
      listEvidence(trx, orgs.tracked.id, orgs.tracked.customerId),
    );
    expect(entries.filter((e) => e.kind === 'delivery_status').map((e) => e.summary)).toEqual([
      'email opened',
      'email link clicked',
    ]);
  });

  it('refuses a link that was not signed for the message and ignores a forged pixel', async () => {
    const html = htmlOf('compta@client-tracked.example');
    const link = new URL((/href="([^"]+\/hooks\/t\/c\?[^"]+)"/.exec(html)?.[1] ?? '').replace(/&amp;/g, '&'));
    link.searchParams.set('u', 'https://evil.example/');
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(400);
    const before = await t.db.selectFrom('delivery_events').select('id').execute();
    const forged = await fetch(
      `${base}/hooks/t/o.gif?t=${Buffer.from(`${orgs.private.id}|x:email`).toString('base64url')}.AAAA`,
    );
    expect(forged.status).toBe(200);
    expect(await t.db.selectFrom('delivery_events').select('id').execute()).toHaveLength(before.length);
    expect(await status(orgs.private.id)).toBe('sent');
  });
});
