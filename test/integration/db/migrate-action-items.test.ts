import { afterAll, beforeAll, expect, it } from 'vitest';
import { listMigrations, migrate } from '../../../src/db/migrate.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const ORG = '00000000-0000-4000-8000-0000000000a1';
const CUSTOMER = '00000000-0000-4000-8000-0000000000c1';
const POLICY = '00000000-0000-4000-8000-0000000000d1';
const INVOICES = ['00000000-0000-4000-8000-0000000000f1', '00000000-0000-4000-8000-0000000000f2'];
const ACTION = '00000000-0000-4000-8000-0000000000e1';
const KEY = 'k'.repeat(64);

/**
 * Migration 0023 folds the per-item step rows into one row per action (decision 020). The
 * history must come across whole: a lost step would re-send it, a wrong key would let the
 * other channels of a sent action be re-planned.
 */
describeEngines('migration 0023: item steps become one row per action', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine, { migrate: false });
    await migrate(
      t,
      listMigrations().filter((m) => m.version < '0023'),
    );
    await t.executeSql(`
      insert into organisations (id, slug, legal_name) values ('${ORG}', 'm23', 'M23 SA');
      insert into customers (org_id, id, external_ref, name) values ('${ORG}', '${CUSTOMER}', 'C1', 'Client 1');
      insert into dunning_actions (org_id, id, idempotency_key, channel, customer_id, policy_id, policy_key,
        policy_version, step_key, kind, items, reason, planned_for)
      values ('${ORG}', '${ACTION}', '${KEY}', 'email', '${CUSTOMER}', '${POLICY}', 'FR-B2B-standard', 3,
        'second_reminder', 'send', '[]', 'r', '2026-06-07');
      insert into dunning_item_steps (org_id, invoice_id, instalment_seq, step_key, customer_id, policy_id,
        policy_version, action_id, done_at)
      values ('${ORG}', '${INVOICES[1]}', 0, 'second_reminder', '${CUSTOMER}', '${POLICY}', 3, '${ACTION}',
          '2026-06-07T07:00:00Z'),
        ('${ORG}', '${INVOICES[0]}', 2, 'first_reminder', '${CUSTOMER}', '${POLICY}', 3, '${ACTION}',
          '2026-06-07T07:00:00Z'),
        ('${ORG}', '${INVOICES[0]}', 0, 'courtesy', '${CUSTOMER}', '${POLICY}', 2, null, '2026-05-01T07:00:00Z');
    `);
    await migrate(t);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('keeps every step, grouped under the key of the action that did it', async () => {
    const { rows } = await t.executeSql(`
      select idempotency_key, policy_version, invoice_ids::text[] as invoice_ids, instalment_seqs, step_keys,
        done_at::text as done_at
      from dunning_action_items where org_id = '${ORG}' order by idempotency_key
    `);
    expect(rows).toHaveLength(2);
    const [orphan, action] = rows as Record<string, unknown>[];
    // The step no action row carried keeps a key of its own, so it still counts as done.
    expect(orphan).toMatchObject({
      idempotency_key: `item-step:${INVOICES[0]}:0:courtesy`,
      policy_version: 2,
      invoice_ids: [INVOICES[0]],
      instalment_seqs: [0],
      step_keys: ['courtesy'],
    });
    expect(action).toMatchObject({
      idempotency_key: KEY,
      policy_version: 3,
      invoice_ids: INVOICES,
      instalment_seqs: [2, 0],
      step_keys: ['first_reminder', 'second_reminder'],
    });
    expect(String(action?.done_at)).toMatch(/^2026-06-07 07:00:00/);
    const old = await t.executeSql(`select to_regclass('dunning_item_steps') as t`);
    expect(old.rows[0]?.t).toBeNull();
  });
});
