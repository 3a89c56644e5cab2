import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import {
  type CustomerPlanningState,
  loadPlanningBatch,
  loadPlanningPage,
} from '../../../src/db/queries/dunning-inputs.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const ORG = '00000000-0000-4000-8000-00000000aa01';
const RICH = '00000000-0000-4000-8000-00000000cc01';
const PLAIN = '00000000-0000-4000-8000-00000000cc02';
const PAID_UP = '00000000-0000-4000-8000-00000000cc03';
const INV = {
  split: '00000000-0000-4000-8000-00000000ff01',
  disputed: '00000000-0000-4000-8000-00000000ff02',
  planned: '00000000-0000-4000-8000-00000000ff03',
  plain: '00000000-0000-4000-8000-00000000ff04',
  paid: '00000000-0000-4000-8000-00000000ff05',
};
const POLICY = '00000000-0000-4000-8000-00000000dd01';
const NOW = new Date('2026-11-10T08:00:00.000Z');
const TODAY = '2026-11-10';
// Free text with every separator the packed read uses: commas, semicolons, quotes, newlines.
const AWKWARD = 'F,2026;"01"\n\\x';

/**
 * The planner's input, read set-based (dunning-inputs.ts): ids, dates and numbers packed into
 * one text per table, free text as JSON beside them. Everything the planner reads must come
 * back exactly, whatever the text holds, on the sweep's path and on the explicit one.
 */
describeEngines('dunning planning inputs', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
    await t.executeSql(`
      insert into organisations (id, slug, legal_name) values ('${ORG}', 'inputs', 'Inputs SA');
      insert into customers (org_id, id, external_ref, name, kind, segment, address_line1, postal_code, city,
        dunning_policy_key)
      values ('${ORG}', '${RICH}', 'R', 'Rich, "SARL"', 'b2b', 'strategic', '1 rue', '75001', 'Paris', 'custom-1'),
        ('${ORG}', '${PLAIN}', 'P', 'Plain', 'b2c', 'standard', null, null, null, null),
        ('${ORG}', '${PAID_UP}', 'Z', 'Paid up', 'b2b', 'standard', null, null, null, null);
      insert into contacts (org_id, customer_id, name, email, phone, consent_email, consent_sms, is_primary,
        email_invalid)
      values ('${ORG}', '${RICH}', 'Ann, ; "B"', 'ann@x.example', '+33600000001', false, true, true, false),
        ('${ORG}', '${RICH}', null, 'bad@x.example', null, true, false, false, true);
      insert into invoices (org_id, id, customer_id, invoice_number, issue_date, due_date, currency, gross_minor,
        balance_minor, status, disputed)
      values ('${ORG}', '${INV.split}', '${RICH}', E'${AWKWARD.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}',
          '2026-08-01', '2026-09-01', 'EUR', 90000, 60000, 'open', false),
        ('${ORG}', '${INV.disputed}', '${RICH}', 'F-2', '2026-09-01', '2026-10-01', 'EUR', 12345, 12345, 'open', false),
        ('${ORG}', '${INV.planned}', '${RICH}', 'F-3', '2026-09-15', '2026-10-15', 'USD', 5000, 5000, 'open', false),
        ('${ORG}', '${INV.plain}', '${PLAIN}', 'P-1', '2026-10-01', '2026-11-01', 'EUR', 777, 777, 'open', true),
        ('${ORG}', '${INV.paid}', '${PAID_UP}', 'Z-1', '2026-10-01', '2026-11-01', 'EUR', 100, 0, 'paid', false);
      insert into invoice_instalments (org_id, invoice_id, seq, due_date, amount_minor)
      values ('${ORG}', '${INV.split}', 2, '2026-10-01', 45000), ('${ORG}', '${INV.split}', 1, '2026-09-01', 45000);
      insert into disputes (org_id, invoice_id, customer_id, reason_code, status)
      values ('${ORG}', '${INV.disputed}', '${RICH}', 'quality', 'open');
      insert into payment_plans (org_id, customer_id, status, invoice_ids, currency, total_minor)
      values ('${ORG}', '${RICH}', 'active', array['${INV.planned}']::uuid[], 'USD', 5000);
      insert into dunning_pauses (org_id, customer_id, invoice_id, reason, until)
      values ('${ORG}', '${RICH}', '${INV.disputed}', 'asked, "nicely"', '2026-11-20'),
        ('${ORG}', '${RICH}', null, 'old', '2026-11-01');
      insert into promises_to_pay (org_id, customer_id, invoice_ids, amount_minor, currency, promised_date, grace_days)
      values ('${ORG}', '${RICH}', array['${INV.split}']::uuid[], 1000, 'EUR', '2026-11-15', 2);
      insert into dunning_action_items (org_id, customer_id, idempotency_key, policy_id, policy_version, invoice_ids,
        instalment_seqs, step_keys, done_at)
      values ('${ORG}', '${RICH}', 'item-step:x,y;z', '${POLICY}', 1,
        array['${INV.split}', '${INV.disputed}']::uuid[], array[1, 0], array['first, "reminder"', 'step;2'],
        '2026-11-03T08:00:00.123Z');
      insert into dunning_actions (org_id, idempotency_key, channel, customer_id, policy_id, policy_key,
        policy_version, step_key, kind, items, reason, planned_for, not_before, status)
      values ('${ORG}', '${'k'.repeat(64)}', 'email', '${RICH}', '${POLICY}', 'p', 1, 's', 'send', '[]', 'r',
          '2026-11-05', '2026-11-05T08:00:00.000Z', 'sent'),
        ('${ORG}', '${'k'.repeat(64)}', 'sms', '${RICH}', '${POLICY}', 'p', 1, 's', 'send', '[]', 'r',
          '2026-11-05', '2026-11-05T09:00:00.000Z', 'sent'),
        ('${ORG}', '${'c'.repeat(64)}', 'email', '${RICH}', '${POLICY}', 'p', 1, 's', 'send', '[]', 'r',
          '2026-11-06', '2026-11-06T08:00:00.000Z', 'cancelled'),
        ('${ORG}', '${'o'.repeat(64)}', 'email', '${RICH}', '${POLICY}', 'p', 1, 's', 'send', '[]', 'r',
          '2026-10-01', '2026-10-01T08:00:00.000Z', 'sent');
      insert into dunning_cases (org_id, customer_id, policy_id, policy_key, policy_version, next_action_date)
      values ('${ORG}', '${RICH}', '${POLICY}', 'p', 3, '2026-11-12'),
        ('${ORG}', '${PLAIN}', null, null, null, null);
    `);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const rich = (s: CustomerPlanningState | undefined) => {
    if (!s) throw new Error('no state');
    return s;
  };

  it('reads every field the planner uses, exactly, whatever the free text holds', async () => {
    const states = await withOrg(t.db, ORG, (trx) => loadPlanningBatch(trx, ORG, [RICH, PLAIN], NOW, TODAY));
    const r = rich(states.get(RICH));
    expect(r.customer).toMatchObject({
      id: RICH,
      name: 'Rich, "SARL"',
      kind: 'b2b',
      segment: 'strategic',
      hasPostalAddress: true,
    });
    expect(r.policyOverride).toBe('custom-1');
    expect([...r.customer.contacts].sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary))).toEqual([
      expect.objectContaining({
        name: 'Ann, ; "B"',
        email: 'ann@x.example',
        emailValid: true,
        consentEmail: false,
        phone: '+33600000001',
        consentSms: true,
        isPrimary: true,
      }),
      expect.objectContaining({
        name: null,
        email: 'bad@x.example',
        emailValid: false,
        consentEmail: true,
        phone: null,
        consentSms: false,
        isPrimary: false,
      }),
    ]);
    const items = new Map(r.items.map((i) => [i.invoiceId, i]));
    expect(items.size).toBe(3);
    expect(items.get(INV.split)).toEqual({
      invoiceId: INV.split,
      invoiceNumber: AWKWARD,
      issueDate: '2026-08-01',
      dueDate: '2026-09-01',
      balanceMinor: 60000,
      grossMinor: 90000,
      currency: 'EUR',
      disputed: false,
      // In seq order, whatever order they were stored in.
      instalments: [
        { seq: 1, dueDate: '2026-09-01', amountMinor: 45000 },
        { seq: 2, dueDate: '2026-10-01', amountMinor: 45000 },
      ],
    });
    expect(items.get(INV.disputed)).toMatchObject({ disputed: true, balanceMinor: 12345 });
    expect(items.get(INV.planned)).toMatchObject({ currency: 'USD', inPaymentPlanInGoodStanding: true });
    expect(r.history).toEqual([
      {
        invoiceId: INV.split,
        instalmentSeq: 1,
        stepKey: 'first, "reminder"',
        at: new Date('2026-11-03T08:00:00.123Z'),
        actionKey: 'item-step:x,y;z',
        // No outbox row behind it (a step recorded before the outbox kept rows): sent when done.
        sentAt: new Date('2026-11-03T08:00:00.123Z'),
        deliveredAt: null,
        postal: false,
      },
      {
        invoiceId: INV.disputed,
        instalmentSeq: null,
        stepKey: 'step;2',
        at: new Date('2026-11-03T08:00:00.123Z'),
        actionKey: 'item-step:x,y;z',
        // No outbox row behind it (a step recorded before the outbox kept rows): sent when done.
        sentAt: new Date('2026-11-03T08:00:00.123Z'),
        deliveredAt: null,
        postal: false,
      },
    ]);
    // One contact per action, at its first channel's instant; cancelled and older sends do not count.
    expect(r.recentContacts).toEqual([
      { at: new Date('2026-11-05T08:00:00.000Z'), automatic: true, actionKey: 'k'.repeat(64) },
    ]);
    expect(r.pauses).toEqual([
      expect.objectContaining({ invoiceId: INV.disputed, until: '2026-11-20', reason: 'asked, "nicely"' }),
    ]);
    expect(r.promises).toEqual([
      expect.objectContaining({
        invoiceIds: [INV.split],
        promisedDate: '2026-11-15',
        graceDays: 2,
        status: 'active',
      }),
    ]);
    expect(r.storedCase).toEqual({ policyId: POLICY, policyVersion: 3, nextActionDate: '2026-11-12' });

    const p = rich(states.get(PLAIN));
    expect(p.customer).toMatchObject({ name: 'Plain', kind: 'b2c', hasPostalAddress: false, contacts: [] });
    expect(p.items).toEqual([
      expect.objectContaining({
        invoiceId: INV.plain,
        invoiceNumber: 'P-1',
        disputed: true,
        grossMinor: 777,
      }),
    ]);
    expect(p.items[0]).not.toHaveProperty('instalments');
    expect(p).toMatchObject({ history: [], recentContacts: [], pauses: [], promises: [] });
    expect(p.storedCase).toEqual({ policyId: null, policyVersion: null, nextActionDate: null });
  });

  it('reads the same state on the sweep, which skips customers owing nothing', async () => {
    const explicit = await withOrg(t.db, ORG, (trx) =>
      loadPlanningBatch(trx, ORG, [RICH, PLAIN], NOW, TODAY),
    );
    const heard: string[][] = [];
    const page = await loadPlanningPage(
      (fn) => withOrg(t.db, ORG, fn),
      ORG,
      null,
      10,
      NOW,
      TODAY,
      (customers) => heard.push(customers.map((c) => c.id)),
    );
    expect(heard).toEqual([[RICH, PLAIN]]);
    expect(page.map((s) => s.customer.id)).toEqual([RICH, PLAIN]);
    for (const s of page) {
      const e = rich(explicit.get(s.customer.id));
      // The sweep leaves out which action did each step: the planner does not read it.
      expect(s).toEqual({ ...e, history: e.history.map(({ actionKey: _, ...h }) => h) });
    }
    // A page that starts after the last customer owing something is empty.
    const none = await loadPlanningPage(
      (fn) => withOrg(t.db, ORG, fn),
      ORG,
      PLAIN,
      10,
      NOW,
      TODAY,
      () => {},
    );
    expect(none).toEqual([]);
  });
});
