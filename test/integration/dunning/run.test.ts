import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmailChannel } from '../../../src/channels/email/email-channel.js';
import { LetterChannel } from '../../../src/channels/letter/letter-channel.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { listEvidence } from '../../../src/db/queries/evidence.js';
import { FR_B2B_STANDARD, verifyChain } from '../../../src/domain/dunning/index.js';
import type { DeliveryDeps } from '../../../src/services/dunning/deliver-actions.js';
import { runDunning, runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { type SmtpFixture, startSmtpFixture } from '../channels/smtp-fixture.js';

const silent = pino({ level: 'silent' });

describeEngines('daily dunning run: plan, deliver once, record evidence', (engine) => {
  let t: TestDb;
  let smtp: SmtpFixture;
  let orgId: string;
  let deps: DeliveryDeps;
  const ids: Record<string, string> = {};

  async function customer(
    ref: string,
    opts: { kind?: 'b2b' | 'b2c'; segment?: 'strategic' | 'standard'; email?: string },
  ) {
    const c = await t.db
      .insertInto('customers')
      .values({
        org_id: orgId,
        external_ref: ref,
        name: `Client ${ref}`,
        kind: opts.kind ?? 'b2b',
        segment: opts.segment ?? 'standard',
        address_line1: '10 rue de la Paix',
        postal_code: '75002',
        city: 'Paris',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (opts.email) {
      await t.db
        .insertInto('contacts')
        .values({
          org_id: orgId,
          customer_id: c.id,
          name: `Contact ${ref}`,
          email: opts.email,
          is_primary: true,
        })
        .execute();
    }
    ids[ref] = c.id;
    return c.id;
  }

  async function invoice(customerId: string, number: string, due: string, gross: number, disputed = false) {
    const r = await t.db
      .insertInto('invoices')
      .values({
        org_id: orgId,
        customer_id: customerId,
        invoice_number: number,
        issue_date: '2026-08-01',
        due_date: due,
        currency: 'EUR',
        gross_minor: gross,
        disputed,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[number] = r.id;
  }

  beforeAll(async () => {
    t = await createTestDb(engine);
    smtp = await startSmtpFixture();
    const org = await createOrganisation(t.db, {
      name: 'Créancier Démo SAS',
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPP',
    });
    orgId = org.id;
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
    const a = await customer('A', { email: 'compta@client-a.example' });
    await invoice(a, 'F-A1', '2026-11-03', 120000); // 7 days late on 10 Nov: first reminder
    await invoice(a, 'F-A2', '2026-11-20', 30000); // not due: courtesy notice is later
    const b = await customer('B', { email: 'b@client-b.example' });
    await invoice(b, 'F-B1', '2026-11-03', 50000, true); // disputed: excluded
    const e = await customer('E', { email: 'e@client-e.example' });
    await invoice(e, 'F-E1', '2026-10-01', 99000); // 40 days late, both reminders sent: the formal notice
    await t.db
      .insertInto('dunning_action_items')
      .values(
        [
          ['first_reminder', '2026-10-08T07:00:00Z'],
          ['second_reminder', '2026-10-16T07:00:00Z'],
        ].map(([step, at]) => ({
          org_id: orgId,
          customer_id: e,
          idempotency_key: `earlier-${step}`,
          policy_id: FR_B2B_STANDARD.id,
          policy_version: 1,
          invoice_ids: [ids['F-E1'] as string],
          instalment_seqs: [0],
          step_keys: [step as string],
          done_at: sql`${at}::timestamptz`,
        })),
      )
      .execute();
    const s = await customer('S', { segment: 'strategic', email: 's@client-s.example' });
    await invoice(s, 'F-S1', '2026-11-03', 700000); // strategic: a task, no automatic send
    await refreshBalances(t.db, orgId, { all: true });
    deps = {
      channels: {
        email: new EmailChannel({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false } }),
        letter: new LetterChannel(),
      },
      workerId: 'test-worker',
      log: silent,
      portalBaseUrl: 'https://relance.test',
    };
  });
  afterAll(async () => {
    await smtp.close();
    await t.drop();
  });

  it('sends each due reminder once, on the right channel, and records it on the timeline', async () => {
    const at = await runInstant(t.db, orgId, '2026-11-10');
    expect(at.toISOString()).toBe('2026-11-10T08:00:00.000Z'); // 09:00 in Paris
    const { plan, delivery } = await runDunning(t.db, orgId, { at, dryRun: false, delivery: deps });
    expect(plan.customersScanned).toBe(4);
    expect(delivery).toMatchObject({ failed: 0, retried: 0 });

    const rows = await t.db
      .selectFrom('dunning_actions')
      .select(['customer_id', 'channel', 'step_key', 'status', 'provider_message_id'])
      .where('org_id', '=', orgId)
      .execute();
    const byCustomer = (ref: string) => rows.filter((r) => r.customer_id === ids[ref]);
    expect(byCustomer('A').map((r) => [r.channel, r.step_key, r.status])).toEqual([
      ['email', 'first_reminder', 'sent'],
    ]);
    expect(byCustomer('B')).toEqual([]);
    expect(byCustomer('E').map((r) => r.channel)).toContain('registered_letter');
    expect(byCustomer('S').every((r) => r.channel === 'task')).toBe(true);

    const toA = smtp.received.filter((m) => m.envelopeTo.includes('compta@client-a.example'));
    expect(toA).toHaveLength(1);
    expect(toA[0]?.parsed.text).toContain('F-A1');
    // The reminder carries a fresh link to the debtor's portal.
    expect(toA[0]?.parsed.text).toMatch(/https:\/\/relance\.test\/portal\/[A-Za-z0-9_.-]{40,}/);
    expect(toA[0]?.parsed.messageId).toBeTruthy();

    const letters = await t.db
      .selectFrom('documents')
      .select(['kind', 'mime_type', 'size_bytes'])
      .where('org_id', '=', orgId)
      .execute();
    expect(
      letters.some((d) => d.kind === 'letter' && d.mime_type === 'application/pdf' && d.size_bytes > 1000),
    ).toBe(true);

    const tasks = await t.db
      .selectFrom('tasks')
      .select(['customer_id', 'kind'])
      .where('org_id', '=', orgId)
      .execute();
    expect(tasks.some((x) => x.customer_id === ids.S)).toBe(true);

    const evidenceA = await listEvidence(t.db, orgId, ids.A as string);
    expect(evidenceA.map((e) => e.kind)).toEqual(['message_sent']);
    expect(evidenceA[0]?.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(evidenceA[0]?.summary).toMatch(/: email sent to .+ \(accepted by the mail server\): F-A1/);
    expect(verifyChain(evidenceA).ok).toBe(true);

    // A letter handed to the print queue is evidence of that, not of a posting.
    const letterEntries = (
      await t.db
        .selectFrom('evidence')
        .select(['summary', 'channel'])
        .where('org_id', '=', orgId)
        .where('kind', '=', 'message_sent')
        .where('channel', 'in', ['letter', 'registered_letter'])
        .execute()
    ).map((e) => e.summary);
    expect(letterEntries.length).toBeGreaterThan(0);
    for (const s of letterEntries) {
      expect(s).toContain('queued for printing (not yet posted)');
      expect(s).not.toMatch(/\bsent\b/);
    }
  });

  it('does not send again when the same day is run twice', async () => {
    const before = smtp.received.length;
    const at = await runInstant(t.db, orgId, '2026-11-10');
    const { plan, delivery } = await runDunning(t.db, orgId, { at, dryRun: false, delivery: deps });
    expect(plan.outboxRowsInserted).toBe(0);
    expect(delivery?.sent).toBe(0);
    expect(smtp.received.length).toBe(before);
  });

  it('drops an item paid after planning but before sending', async () => {
    // Plan 18 Nov without delivering: A's F-A2 courtesy notice (due in 2 days) is planned…
    const at = await runInstant(t.db, orgId, '2026-11-18');
    const planned = await runDunning(t.db, orgId, { at, dryRun: false });
    expect(planned.plan.outboxRowsInserted).toBeGreaterThan(0);
    // …then the customer pays everything before the worker picks it up.
    const p = await t.db
      .insertInto('payments')
      .values({
        org_id: orgId,
        customer_id: ids.A as string,
        payment_reference: 'VIR-1',
        received_on: '2026-11-18',
        currency: 'EUR',
        amount_minor: 150000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('allocations')
      .values([
        { org_id: orgId, invoice_id: ids['F-A1'] as string, payment_id: p.id, amount_minor: 120000 },
        { org_id: orgId, invoice_id: ids['F-A2'] as string, payment_id: p.id, amount_minor: 30000 },
      ])
      .execute();
    await refreshBalances(t.db, orgId, { customerIds: [ids.A as string] });
    const before = smtp.received.filter((m) => m.envelopeTo.includes('compta@client-a.example')).length;
    const { delivery } = await runDunning(t.db, orgId, { at, dryRun: false, delivery: deps });
    expect(delivery?.cancelled).toBeGreaterThan(0);
    expect(smtp.received.filter((m) => m.envelopeTo.includes('compta@client-a.example')).length).toBe(before);
  });

  it('drops an item put into a payment plan after planning but before sending', async () => {
    const p = await customer('P', { email: 'p@client-p.example' });
    await invoice(p, 'F-P1', '2026-11-10', 80000); // 15 days late on 25 Nov
    await refreshBalances(t.db, orgId, { customerIds: [p] });
    const at = await runInstant(t.db, orgId, '2026-11-25');
    await runDunning(t.db, orgId, { at, dryRun: false });
    const planned = await t.db
      .selectFrom('dunning_actions')
      .select(['id', 'status'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', p)
      .execute();
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((r) => r.status === 'planned')).toBe(true);
    // The debtor agrees a payment plan for the whole invoice before the worker picks it up.
    await t.db
      .insertInto('payment_plans')
      .values({
        org_id: orgId,
        customer_id: p,
        status: 'active',
        invoice_ids: [ids['F-P1'] as string],
        currency: 'EUR',
        total_minor: 80000,
      })
      .execute();
    await runDunning(t.db, orgId, { at, dryRun: false, delivery: deps });
    const after = await t.db
      .selectFrom('dunning_actions')
      .select(['status', 'status_reason'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', p)
      .execute();
    expect(after.map((r) => r.status)).toEqual(planned.map(() => 'cancelled'));
    expect(after[0]?.status_reason).toContain('payment plan');
    expect(smtp.received.filter((m) => m.envelopeTo.includes('p@client-p.example'))).toHaveLength(0);
  });

  it('previews without writing anything', async () => {
    const count = async () =>
      (
        await t.db
          .selectFrom('dunning_actions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('org_id', '=', orgId)
          .executeTakeFirstOrThrow()
      ).n;
    const before = Number(await count());
    const at = await runInstant(t.db, orgId, '2026-12-01');
    const { plan } = await runDunning(t.db, orgId, { at, dryRun: true });
    expect(plan.plans.length).toBeGreaterThan(0);
    expect(plan.plans.flatMap((p) => p.plan.actions).every((a) => a.reason.length > 10)).toBe(true);
    expect(Number(await count())).toBe(before);
  });
});
