import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmailChannel } from '../../../src/channels/email/email-channel.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { listEvidence } from '../../../src/db/queries/evidence.js';
import { verifyChain } from '../../../src/domain/dunning/index.js';
import { sweepOrganisations } from '../../../src/jobs/dunning-jobs.js';
import { decideApprovals, listApprovals } from '../../../src/services/dunning/approvals.js';
import { type DeliveryDeps, deliverDueActions } from '../../../src/services/dunning/deliver-actions.js';
import { runDunning, runInstant } from '../../../src/services/dunning/run-dunning.js';
import { updateDunningSettings } from '../../../src/services/dunning/update-dunning-settings.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { type SmtpFixture, startSmtpFixture } from '../channels/smtp-fixture.js';

const silent = pino({ level: 'silent' });

describeEngines(
  'approval before sends: nothing leaves before a user approves, then exactly once',
  (engine) => {
    let t: TestDb;
    let smtp: SmtpFixture;
    let orgId: string;
    let deps: DeliveryDeps;
    const ids: Record<string, string> = {};
    const mailsTo = (addr: string) => smtp.received.filter((m) => m.envelopeTo.includes(addr)).length;

    async function customerWithInvoice(ref: string, segment: 'standard' | 'strategic' = 'standard') {
      const c = await t.db
        .insertInto('customers')
        .values({ org_id: orgId, external_ref: ref, name: `Client ${ref}`, segment })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto('contacts')
        .values({
          org_id: orgId,
          customer_id: c.id,
          name: `Contact ${ref}`,
          email: `${ref}@client.example`,
          is_primary: true,
        })
        .execute();
      await t.db
        .insertInto('invoices')
        .values({
          org_id: orgId,
          customer_id: c.id,
          invoice_number: `F-${ref}`,
          issue_date: '2026-10-01',
          due_date: '2026-11-03', // 7 days late on 10 Nov: first reminder
          currency: 'EUR',
          gross_minor: 100000,
        })
        .execute();
      ids[ref] = c.id;
    }

    const statuses = async (ref: string) =>
      (
        await t.db
          .selectFrom('dunning_actions')
          .select(['status', 'channel'])
          .where('org_id', '=', orgId)
          .where('customer_id', '=', ids[ref] as string)
          .execute()
      ).map((r) => `${r.channel}:${r.status}`);

    beforeAll(async () => {
      t = await createTestDb(engine);
      smtp = await startSmtpFixture();
      orgId = (await createOrganisation(t.db, { name: 'Approbation SAS' })).id;
      await t.db
        .updateTable('organisations')
        .set({ email: 'relances@approbation.example' })
        .where('id', '=', orgId)
        .execute();
      await customerWithInvoice('a');
      await customerWithInvoice('b');
      await customerWithInvoice('s', 'strategic'); // conciliatory policy: a task, never gated
      await refreshBalances(t.db, orgId, { all: true });
      await updateDunningSettings(t.db, orgId, { requireApproval: true });
      deps = {
        channels: {
          email: new EmailChannel({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false } }),
        },
        workerId: 'approval-test',
        log: silent,
      };
    });
    afterAll(async () => {
      await smtp.close();
      await t.drop();
    });

    it('plans automatic sends as awaiting approval and delivers none of them, while tasks go through', async () => {
      const at = await runInstant(t.db, orgId, '2026-11-10');
      const { delivery } = await runDunning(t.db, orgId, { at, dryRun: false, delivery: deps });
      expect(delivery).toMatchObject({ sent: 0, failed: 0 });
      expect(delivery?.tasks).toBeGreaterThan(0);
      expect(await statuses('a')).toEqual(['email:awaiting_approval']);
      expect(await statuses('b')).toEqual(['email:awaiting_approval']);
      expect((await statuses('s')).every((s) => s.endsWith(':sent'))).toBe(true);
      expect(smtp.received).toHaveLength(0);

      const queue = await listApprovals(t.db, orgId, { includeHeld: true });
      expect(queue.requireApproval).toBe(true);
      expect(queue.customers.map((c) => c.customerName)).toEqual(['Client a', 'Client b']);
      expect(queue.customers[0]?.actions[0]).toMatchObject({
        stepKey: 'first_reminder',
        status: 'awaiting_approval',
      });
      expect(queue.customers[0]?.actions[0]?.items.map((i) => i.invoiceNumber)).toEqual(['F-a']);

      // The sweep has nothing to deliver: waiting rows are not undelivered work.
      const sent: string[] = [];
      await sweepOrganisations(
        t.db,
        {
          send: async (def) => {
            sent.push(def.name);
            return null;
          },
        },
        at,
      );
      expect(sent).not.toContain('dunning-deliver');
    });

    it('delivers an approved customer exactly once and never a held one', async () => {
      const at = await runInstant(t.db, orgId, '2026-11-10');
      const approved = await decideApprovals(t.db, orgId, [ids.a as string], 'approve', 'user:test', at);
      expect(approved).toEqual({ customers: 1, actions: 1, rows: 1 });
      const held = await decideApprovals(t.db, orgId, [ids.b as string], 'hold', 'user:test', at);
      expect(held).toEqual({ customers: 1, actions: 1, rows: 1 });
      // A second click changes nothing.
      expect((await decideApprovals(t.db, orgId, [ids.a as string], 'approve', 'user:test', at)).rows).toBe(
        0,
      );

      const first = await deliverDueActions(t.db, orgId, at, deps);
      expect(first.sent).toBe(1);
      expect(mailsTo('a@client.example')).toBe(1);
      expect(mailsTo('b@client.example')).toBe(0);
      expect(await statuses('b')).toEqual(['email:held']);

      // The same day planned and delivered again: no second reminder, nothing re-queued for approval.
      const again = await runDunning(t.db, orgId, { at, dryRun: false, delivery: deps });
      expect(again.plan.outboxRowsInserted).toBe(0);
      expect(again.delivery?.sent).toBe(0);
      expect(mailsTo('a@client.example')).toBe(1);

      const evidence = await listEvidence(t.db, orgId, ids.a as string);
      expect(evidence.map((e) => e.kind)).toEqual(['note', 'message_sent']);
      expect(evidence[0]?.summary).toMatch(/approved by user:test/);
      expect(verifyChain(evidence).ok).toBe(true);
    });

    it('sends a held reminder once when approved later, not before the next allowed send slot', async () => {
      // Approved on 11 November (a public holiday in France): it waits for the 12th.
      const holiday = await runInstant(t.db, orgId, '2026-11-11');
      expect(
        (await decideApprovals(t.db, orgId, [ids.b as string], 'approve', 'user:test', holiday)).rows,
      ).toBe(1);
      expect((await deliverDueActions(t.db, orgId, holiday, deps)).sent).toBe(0);
      expect(mailsTo('b@client.example')).toBe(0);
      const next = await runInstant(t.db, orgId, '2026-11-12');
      expect((await deliverDueActions(t.db, orgId, next, deps)).sent).toBe(1);
      expect((await deliverDueActions(t.db, orgId, next, deps)).sent).toBe(0);
      expect(mailsTo('b@client.example')).toBe(1);
      expect(await statuses('b')).toEqual(['email:sent']);
    });

    it("re-delivers a dead worker's claim: the sweep counts expired claims as undelivered", async () => {
      await updateDunningSettings(t.db, orgId, { requireApproval: false });
      const at = await runInstant(t.db, orgId, '2026-11-18'); // 15 days late: second reminder
      await runDunning(t.db, orgId, { at, dryRun: false });
      // A worker claimed a's reminder and died: the claim is an hour old, past its lease.
      const claimed = await sql<{ id: string }>`
      update dunning_actions set status = 'claimed', claimed_by = 'dead-worker', attempts = 1,
        claimed_at = now() - interval '1 hour'
      where org_id = ${orgId} and customer_id = ${ids.a} and status = 'planned' and channel = 'email'
      returning id`.execute(t.db);
      expect(claimed.rows).toHaveLength(1);
      await sql`update dunning_actions set status = 'cancelled' where org_id = ${orgId} and status = 'planned'`.execute(
        t.db,
      );
      const sent: { name: string; payload: unknown }[] = [];
      const r = await sweepOrganisations(
        t.db,
        {
          send: async (def, payload) => {
            sent.push({ name: def.name, payload });
            return null;
          },
        },
        at,
      );
      expect(r.delivered).toEqual([orgId]);
      expect(sent).toContainEqual({ name: 'dunning-deliver', payload: { orgId } });

      const before = mailsTo('a@client.example');
      const tally = await deliverDueActions(t.db, orgId, at, { ...deps, workerId: 'rescuer' });
      expect(tally.sent).toBe(1);
      expect(mailsTo('a@client.example')).toBe(before + 1);
      const row = await t.db
        .selectFrom('dunning_actions')
        .select(['status', 'claimed_by', 'attempts'])
        .where('org_id', '=', orgId)
        .where('id', '=', claimed.rows[0]?.id as string)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'sent', claimed_by: 'rescuer', attempts: 2 });
    });
  },
);
