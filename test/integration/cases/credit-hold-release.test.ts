import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmailChannel } from '../../../src/channels/email/email-channel.js';
import { LetterChannel } from '../../../src/channels/letter/letter-channel.js';
import { runDunning, runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { seedStepsSent } from '../../helpers/dunning-history.js';
import { makeCustomers, makeInvoices, type OrgFixture, orgWithKey, testServer } from '../api/factories.js';
import { type SmtpFixture, startSmtpFixture } from '../channels/smtp-fixture.js';

describeEngines('credit hold set by a dunning step, released by a human', (engine) => {
  let t: TestDb;
  let smtp: SmtpFixture;
  let app: FastifyInstance;
  let a: OrgFixture;
  let customerId: string;

  beforeAll(async () => {
    t = await createTestDb(engine);
    smtp = await startSmtpFixture();
    a = await orgWithKey(t.db, 'Blocage SAS');
    await t.db
      .updateTable('organisations')
      .set({
        email: 'relances@blocage.example',
        address_line1: '1 place de la Bourse',
        postal_code: '75002',
        city: 'Paris',
      })
      .where('id', '=', a.org.id)
      .execute();
    // The server's clock is the day after the run, so its "today" follows the step.
    app = await testServer(t, new Date('2026-11-11T10:00:00Z'));
    const [c] = await makeCustomers(t.db, a.org.id, 1, () => ({
      name: 'Retard SARL',
      address_line1: '10 rue de la Paix',
      postal_code: '75002',
      city: 'Paris',
    }));
    customerId = c?.id as string;
    await t.db
      .insertInto('contacts')
      .values({ org_id: a.org.id, customer_id: customerId, email: 'compta@retard.example', is_primary: true })
      .execute();
    // 40 days late on 10 November: the formal notice, whose side effect is a credit hold.
    await makeInvoices(t.db, a.org.id, [customerId], 1, () => ({
      invoice_number: 'F-HOLD',
      issue_date: '2026-09-01',
      due_date: '2026-10-01',
      gross_minor: 99_000,
    }));
    const inv = await t.db
      .selectFrom('invoices')
      .select('id')
      .where('invoice_number', '=', 'F-HOLD')
      .executeTakeFirstOrThrow();
    await seedStepsSent(
      t.db,
      a.org.id,
      customerId,
      [inv.id],
      [
        ['first_reminder', '2026-10-08T08:00:00Z'],
        ['second_reminder', '2026-10-16T08:00:00Z'],
      ],
    );
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await t?.drop();
  });

  it('puts the customer on hold at the formal notice, with the step as reason; a collector releases it', async () => {
    const at = await runInstant(t.db, a.org.id, '2026-11-10');
    const { delivery } = await runDunning(t.db, a.org.id, {
      at,
      dryRun: false,
      delivery: {
        channels: {
          email: new EmailChannel({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false } }),
          letter: new LetterChannel(),
        },
        workerId: 'test-hold',
        log: pino({ level: 'silent' }),
      },
    });
    expect(delivery).toMatchObject({ sent: 2, failed: 0 });
    const get = (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: a.auth });
    const held = (await get(`/customers/${customerId}/case`)).json().creditHold;
    expect(held.on).toBe(true);
    expect(held.reason).toBe('dunning step formal_notice');

    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/credit-hold`,
      headers: a.auth,
      payload: { hold: false, reason: 'Plan de règlement signé' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await get(`/customers/${customerId}`)).json().creditHold).toBe(false);
    const timeline = (await get(`/customers/${customerId}/timeline`)).json();
    expect(timeline.intact).toBe(true);
    const summaries = timeline.entries.map((e: { summary: string }) => e.summary);
    expect(summaries).toContain('Customer put on credit hold by the dunning policy');
    expect(summaries.at(-1)).toBe('credit hold released: Plan de règlement signé');
    expect(timeline.entries.at(-1).payload.previousReason).toBe('dunning step formal_notice');
  });
});
