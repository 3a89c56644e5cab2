import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmailChannel } from '../../../src/channels/email/email-channel.js';
import { LetterChannel } from '../../../src/channels/letter/letter-channel.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { type DeliveryDeps, deliverDueActions } from '../../../src/services/dunning/deliver-actions.js';
import { planDunningRun } from '../../../src/services/dunning/plan-dunning-run.js';
import { runDunning, runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { seedStepsSent } from '../../helpers/dunning-history.js';
import { type SmtpFixture, startSmtpFixture } from '../channels/smtp-fixture.js';

const CLAIMS_EARLIER = /précédente relance|nos relances|notre relance|malgré|deuxième relance|déjà relancé/i;
const PLACEHOLDER = /\[[^\]\n]{0,80}\]|\{\{|\}\}/;

describeEngines('backlog onboarding through three runs, read from the SMTP sink', (engine) => {
  let t: TestDb;
  let smtp: SmtpFixture;
  let orgId: string;
  let deps: DeliveryDeps;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDb(engine);
    smtp = await startSmtpFixture();
    orgId = (
      await createOrganisation(t.db, { name: 'Créancier Arriéré SAS', iban: 'FR7630006000011234567890189' })
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
    for (const ref of ['A', 'N']) {
      const c = await t.db
        .insertInto('customers')
        .values({
          org_id: orgId,
          external_ref: ref,
          name: `Client ${ref}`,
          kind: 'b2b',
          address_line1: '10 rue de la Paix',
          postal_code: '75002',
          city: 'Paris',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids[ref] = c.id;
      await t.db
        .insertInto('contacts')
        .values({
          org_id: orgId,
          customer_id: c.id,
          email: `compta@client-${ref.toLowerCase()}.example`,
          is_primary: true,
        })
        .execute();
      const inv = await t.db
        .insertInto('invoices')
        .values({
          org_id: orgId,
          customer_id: c.id,
          invoice_number: `F-${ref}1`,
          issue_date: '2025-01-01',
          // 650 days before 10 November 2026.
          due_date: '2025-02-08',
          currency: 'EUR',
          gross_minor: 99_000,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids[`F-${ref}1`] = inv.id;
    }
    // N's reminders went out long ago: its formal notice is due.
    await seedStepsSent(
      t.db,
      orgId,
      ids.N as string,
      [ids['F-N1'] as string],
      [
        ['first_reminder', '2026-09-01T08:00:00Z'],
        ['second_reminder', '2026-09-10T08:00:00Z'],
      ],
    );
    await refreshBalances(t.db, orgId, { all: true });
    deps = {
      channels: {
        email: new EmailChannel({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false } }),
        letter: new LetterChannel(),
      },
      workerId: 'backlog',
      log: pino({ level: 'silent' }),
    };
  });
  afterAll(async () => {
    await smtp.close();
    await t.drop();
  });

  const mailsTo = (ref: string) =>
    smtp.received.filter((m) => m.envelopeTo.includes(`compta@client-${ref.toLowerCase()}.example`));
  const run = async (date: string) =>
    runDunning(t.db, orgId, { at: await runInstant(t.db, orgId, date), dryRun: false, delivery: deps });

  it('run 1: a 650-days-late item gets a first reminder that claims nothing earlier; an incomplete notice is held with a task', async () => {
    const preview = await runDunning(t.db, orgId, {
      at: await runInstant(t.db, orgId, '2026-11-10'),
      dryRun: true,
    });
    const a = preview.plan.plans.find((p) => p.plan.customerId === ids.A)?.plan.actions[0];
    expect(a).toMatchObject({
      stepKey: 'first_reminder',
      catchUp: true,
      nextStep: { key: 'second_reminder', date: '2026-11-18' },
    });

    const at = await runInstant(t.db, orgId, '2026-11-10');
    await planDunningRun(t.db, orgId, { now: at, dryRun: false });
    // N's address is found wrong and cleared between planning and sending: the registered
    // letter cannot be completed.
    await t.db
      .updateTable('customers')
      .set({ address_line1: null, postal_code: null, city: null })
      .where('id', '=', ids.N as string)
      .execute();
    const delivery = await deliverDueActions(t.db, orgId, at, deps);
    expect(delivery).toMatchObject({ failed: 0, retried: 0, held: 1 });
    const [first] = mailsTo('A');
    expect(first?.parsed.subject).toMatch(/^Relance : facture F-A1 échue/);
    expect(first?.parsed.text).not.toMatch(CLAIMS_EARLIER);
    expect(first?.parsed.text).not.toMatch(PLACEHOLDER);

    const letter = await t.db
      .selectFrom('dunning_actions')
      .select(['status', 'status_reason'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', ids.N as string)
      .where('channel', '=', 'registered_letter')
      .executeTakeFirstOrThrow();
    expect(letter.status).toBe('held');
    expect(letter.status_reason).toMatch(/postal address/);
    const tasks = await t.db
      .selectFrom('tasks')
      .select(['kind', 'title'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', ids.N as string)
      .execute();
    expect(tasks).toEqual([
      expect.objectContaining({ kind: 'review_send', title: expect.stringMatching(/postal address/) }),
    ]);
  });

  it('run 2 (8 days later): the second reminder names the first one, by date and channel', async () => {
    await run('2026-11-17');
    expect(mailsTo('A')).toHaveLength(1);
    await run('2026-11-18');
    const second = mailsTo('A')[1];
    expect(second?.parsed.subject).toMatch(/^Deuxième relance/);
    expect(second?.parsed.text).toContain('Malgré notre relance du 10 novembre 2026 (courriel)');
    expect(second?.parsed.text).not.toMatch(PLACEHOLDER);
  });

  it('run 3 (15 days later): the formal notice lists both reminders and a deadline on a working day', async () => {
    await run('2026-12-03');
    const notice = mailsTo('A')[2];
    expect(notice?.parsed.subject).toMatch(/^Mise en demeure/);
    expect(notice?.parsed.text).toContain(
      'Malgré nos relances des 10 novembre 2026 (courriel) et 18 novembre 2026 (courriel)',
    );
    // 3 December + 15 days = Friday 18 December 2026, a working day.
    expect(notice?.parsed.text).toContain('au plus tard le 18 décembre 2026');
    expect(notice?.parsed.text).not.toMatch(PLACEHOLDER);
    // No escalation decision the same day: the notice's deadline comes first.
    const escalations = await t.db
      .selectFrom('tasks')
      .select('kind')
      .where('org_id', '=', orgId)
      .where('customer_id', '=', ids.A as string)
      .where('kind', '=', 'escalation_decision')
      .execute();
    expect(escalations).toEqual([]);
  });
});
