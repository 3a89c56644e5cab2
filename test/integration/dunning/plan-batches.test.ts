import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeActionPayload } from '../../../src/db/queries/action-payload.js';
import { planDunningRun } from '../../../src/services/dunning/plan-dunning-run.js';
import { runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

// The sweep walks customers in keyset batches and loads each batch in one statement: every
// customer owing something is planned exactly once, whatever the batch size, and the
// customers owing nothing are skipped.
describeEngines('dunning plan over several batches', (engine) => {
  let t: TestDb;
  let orgId: string;
  const owing: string[] = [];

  beforeAll(async () => {
    t = await createTestDb(engine);
    orgId = (await createOrganisation(t.db, { name: 'Batches SA' })).id;
    for (let n = 0; n < 9; n++) {
      const c = await t.db
        .insertInto('customers')
        .values({
          org_id: orgId,
          external_ref: `C${n}`,
          name: `Client ${n}`,
          address_line1: '1 rue du Test',
          postal_code: '75001',
          city: 'Paris',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto('contacts')
        .values({ org_id: orgId, customer_id: c.id, email: `c${n}@test.example`, is_primary: true })
        .execute();
      // n % 3 === 0: nothing open (paid, or written off); the others owe two invoices.
      const status = n % 3 === 0 ? (n === 3 ? 'written_off' : 'paid') : 'open';
      for (const k of [1, 2]) {
        await t.db
          .insertInto('invoices')
          .values({
            org_id: orgId,
            customer_id: c.id,
            invoice_number: `F${n}-${k}`,
            issue_date: '2026-09-01',
            due_date: k === 1 ? '2026-10-01' : '2026-11-03',
            currency: 'EUR',
            gross_minor: 10000 * (n + 1),
            balance_minor: status === 'open' ? 10000 * (n + 1) : 0,
            status,
          })
          .execute();
      }
      if (status === 'open') owing.push(c.id);
    }
    owing.sort();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('plans the same customers, in id order, with batches of 2 as in one batch', async () => {
    const now = await runInstant(t.db, orgId, '2026-11-10');
    const small = await planDunningRun(t.db, orgId, { now, dryRun: true, batchSize: 2 });
    const one = await planDunningRun(t.db, orgId, { now, dryRun: true, batchSize: 1000 });
    expect(small.plans.map((p) => p.plan.customerId)).toEqual(owing);
    expect(small.customersScanned).toBe(6);
    const keys = (r: typeof small) => r.plans.flatMap((p) => p.plan.actions.map((a) => a.idempotencyKey));
    expect(keys(small)).toEqual(keys(one));
    expect(keys(small).length).toBeGreaterThanOrEqual(6);
    // Every open item is carried: two per owing customer.
    const items = small.plans.flatMap((p) => p.plan.actions.flatMap((a) => a.items.map((i) => i.invoiceId)));
    expect(new Set(items).size).toBe(12);
    // Only counting: no plan kept when collectPlans is off.
    const counted = await planDunningRun(t.db, orgId, {
      now,
      dryRun: true,
      collectPlans: false,
      batchSize: 2,
    });
    expect(counted.plans).toEqual([]);
    expect(counted.actions).toBe(small.actions);
  });

  it('writes every batch once: a second run the same day inserts nothing', async () => {
    const now = await runInstant(t.db, orgId, '2026-11-10');
    const first = await planDunningRun(t.db, orgId, { now, dryRun: false, batchSize: 2 });
    expect(first.outboxRowsInserted).toBeGreaterThanOrEqual(6);
    const rows = await t.db
      .selectFrom('dunning_actions')
      .select(['customer_id'])
      .where('org_id', '=', orgId)
      .execute();
    expect(rows.length).toBe(first.outboxRowsInserted);
    expect([...new Set(rows.map((r) => r.customer_id))].sort()).toEqual(owing);
    const steps = await t.db
      .selectFrom('dunning_action_items')
      .select(['idempotency_key', 'invoice_ids', 'instalment_seqs', 'step_keys'])
      .where('org_id', '=', orgId)
      .execute();
    // One row per action, one element per item: 12 items in all.
    expect(new Set(steps.map((s) => s.idempotency_key)).size).toBe(steps.length);
    expect(steps.reduce((n, s) => n + s.invoice_ids.length, 0)).toBe(12);
    for (const s of steps) {
      expect(s.instalment_seqs).toHaveLength(s.invoice_ids.length);
      expect(s.step_keys).toHaveLength(s.invoice_ids.length);
    }
    const cases = await t.db
      .selectFrom('dunning_cases')
      .select('customer_id')
      .where('org_id', '=', orgId)
      .execute();
    expect(cases.map((c) => c.customer_id).sort()).toEqual(owing);

    const again = await planDunningRun(t.db, orgId, { now, dryRun: false, batchSize: 2 });
    expect(again.outboxRowsInserted).toBe(0);
  });

  it('records the items of each action once, under the key of its outbox rows', async () => {
    const rows = await t.db
      .selectFrom('dunning_action_items')
      .selectAll()
      .where('org_id', '=', orgId)
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const outbox = await t.db
        .selectFrom('dunning_actions')
        .select(['id', 'channel', 'customer_id', 'items'])
        .where('org_id', '=', orgId)
        .where('idempotency_key', '=', r.idempotency_key)
        .execute();
      expect(outbox.length).toBeGreaterThan(0);
      for (const o of outbox) {
        expect(o.customer_id).toBe(r.customer_id);
        // Each item and the step it reaches, as the payload the message is rendered from lists them.
        const payload = decodeActionPayload(o.items);
        expect(payload.items.map((i) => [i.invoiceId, i.instalmentSeq ?? 0, i.stepKey]).sort()).toEqual(
          r.invoice_ids.map((id, k) => [id, r.instalment_seqs[k], r.step_keys[k]]).sort(),
        );
        // Time-ordered (UUIDv7) ids: the outbox's primary key is appended to, not scattered.
        expect(o.id[14]).toBe('7');
      }
    }
  });

  it('leaves a case alone when a run changes nothing, and updates it when its next date moves', async () => {
    const now = await runInstant(t.db, orgId, '2026-11-10');
    const before = await t.db
      .selectFrom('dunning_cases')
      .select(['customer_id', 'next_action_date', 'updated_at'])
      .where('org_id', '=', orgId)
      .orderBy('customer_id')
      .execute();
    const moved = before[0];
    if (!moved) throw new Error('no case');
    await t.db
      .updateTable('dunning_cases')
      .set({ next_action_date: '2099-01-01' })
      .where('org_id', '=', orgId)
      .where('customer_id', '=', moved.customer_id)
      .execute();
    // now() is the transaction's start: let the clock move past the cases' last update.
    await new Promise((r) => setTimeout(r, 20));
    await planDunningRun(t.db, orgId, { now, dryRun: false, batchSize: 2 });
    const after = await t.db
      .selectFrom('dunning_cases')
      .select(['customer_id', 'next_action_date', 'updated_at'])
      .where('org_id', '=', orgId)
      .orderBy('customer_id')
      .execute();
    expect(after.map((c) => c.next_action_date)).toEqual(before.map((c) => c.next_action_date));
    // Milliseconds, not String(): a Date's string form stops at the second.
    const ms = (v: unknown) => new Date(v as string).getTime();
    const changed = after.filter((c, i) => ms(c.updated_at) !== ms(before[i]?.updated_at));
    expect(changed.map((c) => c.customer_id)).toEqual([moved.customer_id]);
  });

  it('lets concurrent runs take turns: three at once insert each action once', async () => {
    const now = await runInstant(t.db, orgId, '2026-11-24');
    const runs = await Promise.all(
      [1, 2, 3].map(() => planDunningRun(t.db, orgId, { now, dryRun: false, batchSize: 2 })),
    );
    const inserted = runs.map((r) => r.outboxRowsInserted).sort((a, b) => a - b);
    // The run that went first found work; the others, planning after it, found it done.
    expect(inserted[0]).toBe(0);
    expect(inserted[1]).toBe(0);
    expect(inserted[2]).toBeGreaterThan(0);
    const keys = await t.db
      .selectFrom('dunning_actions')
      .select(['idempotency_key', 'channel'])
      .where('org_id', '=', orgId)
      .where('planned_for', '=', '2026-11-24')
      .execute();
    expect(keys.length).toBe(inserted[2]);
    expect(new Set(keys.map((k) => `${k.idempotency_key}/${k.channel}`)).size).toBe(keys.length);
  });
});
