import { type Insertable, type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import type { DunningActionItemsTable } from '../../../src/db/schema/dunning.js';
import type { Database } from '../../../src/db/schema/index.js';
import { FR_B2B_STANDARD } from '../../../src/domain/dunning/default-policies.js';
import { appendEvidence } from '../../../src/domain/dunning/evidence.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

describeEngines('dunning schema (0004_dunning.sql)', (engine) => {
  let t: TestDb;
  let orgId: string;
  let customerId: string;
  let invoiceId: string;
  beforeAll(async () => {
    t = await createTestDb(engine);
    const org = await createOrganisation(t.db, { name: 'Schema Test SAS' });
    orgId = org.id;
    const c = await t.db
      .insertInto('customers')
      .values({
        org_id: orgId,
        external_ref: 'C1',
        name: 'Dupont SARL',
        dunning_policy_key: 'FR-B2B-standard',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    customerId = c.id;
    const i = await t.db
      .insertInto('invoices')
      .values({
        org_id: orgId,
        customer_id: customerId,
        invoice_number: 'F-1',
        issue_date: '2026-05-01',
        due_date: '2026-05-31',
        currency: 'EUR',
        gross_minor: 120_000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    invoiceId = i.id;
  });
  afterAll(async () => t.drop());

  /** Insert one action-items row, with `over` replacing fields of a valid one. */
  const insertActionItems = (db: Kysely<Database>, over: Partial<Insertable<DunningActionItemsTable>> = {}) =>
    db
      .insertInto('dunning_action_items')
      .values({
        org_id: orgId,
        customer_id: customerId,
        idempotency_key: 'a'.repeat(64),
        policy_id: FR_B2B_STANDARD.id,
        policy_version: 1,
        invoice_ids: [invoiceId],
        instalment_seqs: [0],
        step_keys: ['first_reminder'],
        ...over,
      })
      .execute();

  it('stores one row in each dunning table under row-level security', async () => {
    await withOrg(t.db, orgId, async (trx) => {
      const { id: _id, key, version, name, kind, ...definition } = FR_B2B_STANDARD;
      await trx
        .insertInto('dunning_policies')
        .values({
          org_id: orgId,
          id: FR_B2B_STANDARD.id,
          key,
          version,
          name,
          kind,
          definition,
          is_default: true,
        })
        .execute();
      await trx
        .insertInto('dunning_policy_rules')
        .values({ org_id: orgId, position: 1, policy_key: key, label: 'all', conditions: {} })
        .execute();
      await trx
        .insertInto('dunning_cases')
        .values({ org_id: orgId, customer_id: customerId, policy_key: key, next_action_date: '2026-06-07' })
        .execute();
      await trx
        .insertInto('dunning_pauses')
        .values({
          org_id: orgId,
          customer_id: customerId,
          invoice_id: invoiceId,
          reason: 'credit note',
          until: '2026-06-20',
        })
        .execute();
      await trx
        .insertInto('promises_to_pay')
        .values({
          org_id: orgId,
          customer_id: customerId,
          invoice_ids: [invoiceId],
          amount_minor: 120_000,
          currency: 'EUR',
          promised_date: '2026-06-25',
        })
        .execute();
      await trx
        .insertInto('disputes')
        .values({
          org_id: orgId,
          invoice_id: invoiceId,
          customer_id: customerId,
          reason_code: 'quality',
          comment: 'damaged',
        })
        .execute();
      const action = await trx
        .insertInto('dunning_actions')
        .values({
          org_id: orgId,
          idempotency_key: 'a'.repeat(64),
          channel: 'email',
          customer_id: customerId,
          policy_id: FR_B2B_STANDARD.id,
          policy_key: key,
          policy_version: 1,
          step_key: 'first_reminder',
          kind: 'send',
          items: JSON.stringify([{ invoiceId, stepKey: 'first_reminder' }]),
          reason: 'invoice F-1 is 7 days overdue',
          planned_for: '2026-06-07',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await insertActionItems(trx);
      const e = appendEvidence(null, {
        id: '00000000-0000-4000-8000-000000000001',
        customerId,
        at: '2026-06-07T07:00:00.000Z',
        kind: 'message_sent',
        channel: 'email',
        summary: 'first reminder sent',
        payload: { stepKey: 'first_reminder' },
        contentSha256: 'b'.repeat(64),
      });
      await trx
        .insertInto('evidence')
        .values({
          org_id: orgId,
          customer_id: customerId,
          seq: e.seq,
          id: e.id,
          at: e.at,
          kind: e.kind,
          channel: e.channel,
          summary: e.summary,
          payload: e.payload,
          content_sha256: e.contentSha256,
          prev_hash: e.prevHash,
          hash: e.hash,
        })
        .execute();
      await trx
        .insertInto('tasks')
        .values({
          org_id: orgId,
          customer_id: customerId,
          invoice_id: invoiceId,
          action_id: action.id,
          kind: 'escalation_decision',
          title: 'Choose: legal action, agency or write-off',
          detail: {},
          due_date: '2026-07-15',
        })
        .execute();
    });
    const counts = await withOrg(t.db, orgId, async (trx) => {
      const out: Record<string, number> = {};
      for (const table of [
        'dunning_policies',
        'dunning_policy_rules',
        'dunning_cases',
        'dunning_pauses',
        'promises_to_pay',
        'disputes',
        'dunning_actions',
        'dunning_action_items',
        'evidence',
        'tasks',
      ]) {
        const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(trx);
        out[table] = r.rows[0]?.n ?? -1;
      }
      return out;
    });
    expect(Object.values(counts)).toEqual(Array(10).fill(1));
    const other = await createOrganisation(t.db, { name: 'Other SARL' });
    const seen = await withOrg(t.db, other.id, (trx) => trx.selectFrom('evidence').select('hash').execute());
    expect(seen).toEqual([]);
  });

  it('refuses to update or delete an evidence row', async () => {
    await expect(
      withOrg(t.db, orgId, (trx) =>
        trx.updateTable('evidence').set({ summary: 'nothing happened' }).execute(),
      ),
    ).rejects.toThrow(/evidence is append-only: UPDATE refused/);
    await expect(withOrg(t.db, orgId, (trx) => trx.deleteFrom('evidence').execute())).rejects.toThrow(
      /evidence is append-only: DELETE refused/,
    );
    await expect(sql`truncate evidence`.execute(t.db)).rejects.toThrow(/append-only: TRUNCATE refused/);
    const row = await withOrg(t.db, orgId, (trx) =>
      trx.selectFrom('evidence').select('summary').executeTakeFirst(),
    );
    expect(row?.summary).toBe('first reminder sent');
  });

  it('refuses a second outbox row for the same idempotency key and channel', async () => {
    const values = {
      org_id: orgId,
      idempotency_key: 'a'.repeat(64),
      channel: 'email' as const,
      customer_id: customerId,
      policy_id: FR_B2B_STANDARD.id,
      policy_key: 'FR-B2B-standard',
      policy_version: 1,
      step_key: 'first_reminder',
      kind: 'send' as const,
      items: '[]',
      reason: 'duplicate',
      planned_for: '2026-06-08',
    };
    await expect(
      withOrg(t.db, orgId, (trx) => trx.insertInto('dunning_actions').values(values).execute()),
    ).rejects.toThrow(/duplicate key|unique/);
    const inserted = await withOrg(t.db, orgId, (trx) =>
      trx
        .insertInto('dunning_actions')
        .values({ ...values, channel: 'sms' })
        .returning('id')
        .execute(),
    );
    expect(inserted).toHaveLength(1);
  });

  it("refuses to record an action's items twice", async () => {
    await expect(
      withOrg(t.db, orgId, (trx) =>
        insertActionItems(trx, { policy_version: 2, step_keys: ['second_reminder'] }),
      ),
    ).rejects.toThrow(/duplicate key|unique/);
  });

  it('refuses item arrays of different lengths', async () => {
    await expect(
      withOrg(t.db, orgId, (trx) =>
        insertActionItems(trx, { idempotency_key: 'b'.repeat(64), instalment_seqs: [0, 1] }),
      ),
    ).rejects.toThrow(/check constraint/);
  });
});
