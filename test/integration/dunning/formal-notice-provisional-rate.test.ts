import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmailChannel } from '../../../src/channels/email/email-channel.js';
import { LetterChannel } from '../../../src/channels/letter/letter-channel.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { upsertRateRows } from '../../../src/db/queries/rates.js';
import { decideApprovals } from '../../../src/services/dunning/approvals.js';
import { type DeliveryDeps, deliverDueActions } from '../../../src/services/dunning/deliver-actions.js';
import { planDunningRun } from '../../../src/services/dunning/plan-dunning-run.js';
import { runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { seedStepsSent } from '../../helpers/dunning-history.js';
import { type SmtpFixture, startSmtpFixture } from '../channels/smtp-fixture.js';

const PLACEHOLDER = /\[[^\]\n]{0,80}\]|\{\{|\}\}/;

/**
 * Issue 13: a mise en demeure computed with a rate no official source confirms says which,
 * and waits in the approval queue (decision 009) until a collector approves it.
 */
describeEngines('mise en demeure with a provisional rate waits for approval', (engine) => {
  let t: TestDb;
  let smtp: SmtpFixture;
  let orgId: string;
  let customerId: string;
  let deps: DeliveryDeps;

  beforeAll(async () => {
    t = await createTestDb(engine);
    smtp = await startSmtpFixture();
    orgId = (
      await createOrganisation(t.db, { name: 'Créancier Taux SAS', iban: 'FR7630006000011234567890189' })
    ).id;
    await t.db
      .updateTable('organisations')
      .set({
        email: 'relances@creancier.example',
        address_line1: '1 place de la Bourse',
        postal_code: '75002',
        city: 'Paris',
      })
      .where('id', '=', orgId)
      .execute();
    customerId = (
      await t.db
        .insertInto('customers')
        .values({
          org_id: orgId,
          external_ref: 'P',
          name: 'Client Provisoire SARL',
          kind: 'b2b',
          address_line1: '10 rue de la Paix',
          postal_code: '69003',
          city: 'Lyon',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await t.db
      .insertInto('contacts')
      .values({ org_id: orgId, customer_id: customerId, email: 'compta@client-p.example', is_primary: true })
      .execute();
    const invoiceIds: string[] = [];
    // Out of order on purpose: the letter lists them by due date.
    for (const [n, due, gross] of [
      ['F-P2', '2026-07-20', 50_000],
      ['F-P1', '2026-07-01', 120_000],
    ] as const) {
      const inv = await t.db
        .insertInto('invoices')
        .values({
          org_id: orgId,
          customer_id: customerId,
          invoice_number: n,
          issue_date: '2026-06-01',
          due_date: due,
          currency: 'EUR',
          gross_minor: gross,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      invoiceIds.push(inv.id);
    }
    // A younger overdue item, never reminded: not at the formal-notice step, so not in the letter.
    await t.db
      .insertInto('invoices')
      .values({
        org_id: orgId,
        customer_id: customerId,
        invoice_number: 'F-P3',
        issue_date: '2026-09-01',
        due_date: '2026-10-05',
        currency: 'EUR',
        gross_minor: 7_777,
      })
      .execute();
    await seedStepsSent(t.db, orgId, customerId, invoiceIds, [
      ['first_reminder', '2026-08-20T08:00:00Z'],
      ['second_reminder', '2026-09-01T08:00:00Z'],
    ]);
    // The organisation's own figure for the ECB rate of 2026-H2, not yet confirmed.
    await upsertRateRows(t.db, orgId, [
      {
        series: 'ECB_MRO',
        effectiveFrom: '2026-06-17',
        rate: '2.40',
        source: 'press article, official release not read',
        provisional: true,
        status: 'unverified',
      },
    ]);
    await refreshBalances(t.db, orgId, { all: true });
    deps = {
      channels: {
        email: new EmailChannel({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false } }),
        letter: new LetterChannel(),
      },
      workerId: 'provisional',
      log: pino({ level: 'silent' }),
    };
  });
  afterAll(async () => {
    await smtp.close();
    await t.drop();
  });

  const rows = () =>
    t.db
      .selectFrom('dunning_actions')
      .select(['channel', 'status', 'status_reason', 'step_key'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .where('step_key', '=', 'formal_notice')
      .orderBy('channel')
      .execute();

  it('does not send it: it waits for approval, naming the provisional rate', async () => {
    const at = await runInstant(t.db, orgId, '2026-10-15');
    await planDunningRun(t.db, orgId, { now: at, dryRun: false });
    expect((await rows()).map((r) => r.channel)).toEqual(['email', 'registered_letter']);
    const delivery = await deliverDueActions(t.db, orgId, at, deps);
    expect(delivery).toMatchObject({ sent: 0, failed: 0, held: 2 });
    for (const r of await rows()) {
      expect(r.status).toBe('awaiting_approval');
      expect(r.status_reason).toMatch(/provisional rate used: ECB_MRO from 2026-06-17 \(2\.40 %\)/);
    }
    expect(smtp.received).toHaveLength(0);
    const sent = await t.db
      .selectFrom('sent_messages')
      .select('action_id')
      .where('org_id', '=', orgId)
      .execute();
    expect(sent).toEqual([]);
  });

  it('once approved, goes out saying which rate is provisional, items by due date', async () => {
    const now = await runInstant(t.db, orgId, '2026-10-16');
    const decided = await decideApprovals(t.db, orgId, [customerId], 'approve', 'collector@x.example', now);
    expect(decided.rows).toBe(2);
    const delivery = await deliverDueActions(t.db, orgId, new Date(now.getTime() + 3_600_000), deps);
    expect(delivery).toMatchObject({ sent: 2, failed: 0, held: 0 });
    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent']);
    const msgs = await t.db
      .selectFrom('sent_messages')
      .select(['channel', 'body_text', 'letter'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .orderBy('channel')
      .execute();
    const letter = msgs.find((m) => m.channel === 'registered_letter')?.letter ?? '';
    const flat = letter.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'Taux provisoire : le taux de refinancement de la BCE en vigueur au 17 juin 2026 (2,40 %), non encore confirmé par une source officielle',
    );
    expect(flat.indexOf('F-P1')).toBeGreaterThan(-1);
    expect(flat.indexOf('F-P1')).toBeLessThan(flat.indexOf('F-P2'));
    expect(letter).not.toMatch(PLACEHOLDER);
    // Only the items that reached the step: the younger one is not claimed in the notice.
    expect(letter).not.toContain('F-P3');
    expect(flat).toContain('1 700,00');
    const email = msgs.find((m) => m.channel === 'email')?.body_text ?? '';
    expect(email.replace(/\s+/g, ' ')).toContain('Taux provisoire : le taux de refinancement de la BCE');
    expect(smtp.received).toHaveLength(1);
  });
});
