import { describe, expect, it } from 'vitest';
import { decodeActionPayload } from '../../../src/db/queries/action-payload.js';
import { outboxRowsJson } from '../../../src/db/queries/dunning-outbox.js';
import type { PlannedAction } from '../../../src/domain/dunning/index.js';

// Text a debtor's data can hold: quotes, backslashes, newlines, a non-Latin letter.
const AWKWARD = 'F "2026"\\1\nÉ';

function action(over: Partial<PlannedAction> = {}): PlannedAction {
  return {
    customerId: '00000000-0000-4000-8000-0000000000c1',
    policyId: '00000000-0000-4000-8000-0000000000d1',
    policyKey: 'FR-B2B-standard',
    policyVersion: 3,
    stepKey: 'second_reminder',
    stepLabel: 'second reminder',
    templateKey: 'second_reminder',
    tone: 'firm',
    kind: 'send',
    taskKind: null,
    channels: [
      { channel: 'email', contactId: '00000000-0000-4000-8000-0000000000e1', address: 'a@b.example' },
      { channel: 'sms', contactId: '00000000-0000-4000-8000-0000000000e1', address: '+33600000001' },
    ],
    channelNotes: [`note ${AWKWARD}`],
    catchUp: false,
    nextStep: null,
    items: [
      {
        invoiceId: '00000000-0000-4000-8000-0000000000f1',
        invoiceNumber: AWKWARD,
        instalmentSeq: null,
        issueDate: '2026-09-01',
        dueDate: '2026-10-01',
        amountMinor: 12345,
        balanceMinor: 2345,
        currency: 'EUR',
        daysLate: 40,
        stepKey: 'second_reminder',
      },
    ],
    statementItems: [],
    totals: [{ currency: 'EUR', balanceMinor: 2345 }],
    reason: `invoice ${AWKWARD} is 40 days overdue`,
    idempotencyKey: 'a'.repeat(64),
    plannedFor: '2026-11-10',
    sideEffects: { creditHold: true },
    decisionTask: null,
    deadlineDays: null,
    ...over,
  };
}

/**
 * The outbox rows a run inserts are written as JSON text by hand (json_to_recordset reads
 * them): each must parse, carry the action's fields exactly, and give back the payload.
 */
describe('outbox rows as JSON', () => {
  it('writes one row per channel, each a complete JSON object with the shared payload', () => {
    const rows = outboxRowsJson(action(), false).map((r) => JSON.parse(r));
    expect(rows.map((r) => [r.channel, r.kind, r.status, r.to_address])).toEqual([
      ['email', 'send', 'planned', 'a@b.example'],
      ['sms', 'send', 'planned', '+33600000001'],
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({
        idempotency_key: 'a'.repeat(64),
        customer_id: '00000000-0000-4000-8000-0000000000c1',
        contact_id: '00000000-0000-4000-8000-0000000000e1',
        policy_key: 'FR-B2B-standard',
        policy_version: 3,
        step_key: 'second_reminder',
        template_key: 'second_reminder',
        reason: `invoice ${AWKWARD} is 40 days overdue`,
        channel_notes: [`note ${AWKWARD}`],
        planned_for: '2026-11-10',
      });
      const payload = decodeActionPayload(r.items);
      expect(payload.items).toEqual(action().items);
      expect(payload).toMatchObject({
        stepLabel: 'second reminder',
        tone: 'firm',
        sideEffects: { creditHold: true },
      });
    }
    // Each row its own time-ordered id.
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
    expect(rows[0].id[14]).toBe('7');
  });

  it('holds sends for approval but lets tasks through', () => {
    const rows = outboxRowsJson(
      action({
        channels: [
          { channel: 'email', contactId: null, address: 'a@b.example' },
          { channel: 'call_task', contactId: null, address: null },
        ],
      }),
      true,
    ).map((r) => JSON.parse(r));
    expect(rows.map((r) => [r.channel, r.kind, r.status, r.contact_id])).toEqual([
      ['email', 'send', 'awaiting_approval', null],
      ['call_task', 'task', 'planned', null],
    ]);
  });

  it('writes a task, or a send left with no channel, as one task row', () => {
    const [task] = outboxRowsJson(action({ kind: 'task', taskKind: 'escalation_decision' }), true).map((r) =>
      JSON.parse(r),
    );
    expect(task).toMatchObject({ channel: 'task', kind: 'task', status: 'planned', to_address: null });
    const [orphan, ...rest] = outboxRowsJson(action({ channels: [] }), false).map((r) => JSON.parse(r));
    expect(rest).toEqual([]);
    expect(orphan).toMatchObject({ channel: 'task', kind: 'task' });
    expect(decodeActionPayload(orphan.items).taskKind).toBe('follow_up');
  });
});
