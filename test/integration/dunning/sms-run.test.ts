import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SmsDouble, startSmsDouble } from '../../../src/channels/sms/test-double.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { channelSetFromConfig } from '../../../src/services/dunning/channel-set.js';
import { runDunning, runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { type SmtpFixture, startSmtpFixture } from '../channels/smtp-fixture.js';

const twilio = { accountSid: `AC${'0'.repeat(31)}1`, authToken: 'test-auth-token' };

describeEngines('second reminder by email and SMS through the organisation channel settings', (engine) => {
  let t: TestDb;
  let smtp: SmtpFixture;
  let sms: SmsDouble;
  let orgId: string;

  beforeAll(async () => {
    t = await createTestDb(engine);
    smtp = await startSmtpFixture();
    sms = await startSmsDouble({ twilio });
    const org = await createOrganisation(t.db, { name: 'SMS Relances SARL' });
    orgId = org.id;
    await t.db
      .updateTable('organisations')
      .set({
        email: 'relances@sms.example',
        settings: JSON.stringify({
          smsSenderId: 'SMSRELANCE',
          channels: {
            smtp: { host: '127.0.0.1', port: smtp.port, secure: false },
            sms: { provider: 'twilio', ...twilio, baseUrl: sms.baseUrl },
          },
        }),
      })
      .where('id', '=', orgId)
      .execute();
    const withConsent = await t.db
      .insertInto('customers')
      .values({ org_id: orgId, external_ref: 'SMS1', name: 'Garage Dupont' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('contacts')
      .values({
        org_id: orgId,
        customer_id: withConsent.id,
        email: 'dupont@garage.example',
        phone: '06 12 34 56 78',
        consent_sms: true,
        is_primary: true,
      })
      .execute();
    const noConsent = await t.db
      .insertInto('customers')
      .values({ org_id: orgId, external_ref: 'SMS2', name: 'Boulangerie Martin' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('contacts')
      .values({
        org_id: orgId,
        customer_id: noConsent.id,
        email: 'martin@boulangerie.example',
        phone: '06 98 76 54 32',
        consent_sms: false,
        is_primary: true,
      })
      .execute();
    // 16 days late on 19 November: the second reminder (email + SMS) is due.
    await t.db
      .insertInto('invoices')
      .values(
        [withConsent.id, noConsent.id].map((c, i) => ({
          org_id: orgId,
          customer_id: c,
          invoice_number: `FS-${i + 1}`,
          issue_date: '2026-10-01',
          due_date: '2026-11-03',
          currency: 'EUR',
          gross_minor: 45_600,
        })),
      )
      .execute();
    await refreshBalances(t.db, orgId, { all: true });
  });
  afterAll(async () => {
    await sms.close();
    await smtp.close();
    await t.drop();
  });

  it('texts the debtor who consented, emails both, and records the provider message ids', async () => {
    const log = pino({ level: 'silent' });
    // The first reminder (email only) goes out first: a second reminder presupposes it.
    await runDunning(t.db, orgId, {
      at: await runInstant(t.db, orgId, '2026-11-10'),
      dryRun: false,
      delivery: { channels: channelSetFromConfig({}, log), workerId: 'sms-test', log },
    });
    expect(sms.received).toEqual([]);
    smtp.received.length = 0;
    const at = await runInstant(t.db, orgId, '2026-11-19');
    const { delivery } = await runDunning(t.db, orgId, {
      at,
      dryRun: false,
      delivery: { channels: channelSetFromConfig({}, log), workerId: 'sms-test', log },
    });
    expect(delivery).toMatchObject({ failed: 0, retried: 0 });
    expect(sms.received.map((m) => m.to)).toEqual(['+33612345678']);
    expect(sms.received[0]?.text).toContain('FS-1');
    expect(sms.received[0]?.from).toBe('SMSRELANCE');
    expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual([
      'dupont@garage.example',
      'martin@boulangerie.example',
    ]);
    const rows = await t.db
      .selectFrom('dunning_actions')
      .select(['channel', 'status', 'provider_message_id', 'channel_notes'])
      .where('org_id', '=', orgId)
      .where('channel', '=', 'sms')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.provider_message_id).toBe(sms.received[0]?.providerMessageId);
  });
});
