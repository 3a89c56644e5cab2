import type { Kysely } from 'kysely';
import { decodeActionPayload } from '../../db/queries/action-payload.js';
import { decideAwaiting, listAwaitingApproval } from '../../db/queries/dunning-approvals.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { nextSendSlot } from '../../domain/dunning/index.js';
import { notFound } from '../../errors.js';
import { dunningSettingsOf } from './dunning-settings.js';

export interface PendingAction {
  idempotencyKey: string;
  status: 'awaiting_approval' | 'held';
  stepKey: string;
  stepLabel: string;
  policyKey: string;
  policyVersion: number;
  templateKey: string | null;
  plannedFor: string;
  reason: string;
  channels: { channel: string; address: string | null }[];
  items: {
    invoiceId: string;
    invoiceNumber: string;
    balanceMinor: number;
    currency: string;
    daysLate: number;
  }[];
  totals: { currency: string; balanceMinor: number }[];
  decidedBy: string | null;
}

export interface PendingCustomer {
  customerId: string;
  customerName: string;
  actions: PendingAction[];
}

/** The approval queue, one entry per customer, each action with its channels gathered. */
export async function listApprovals(
  db: Kysely<Database>,
  orgId: string,
  opts: { includeHeld: boolean },
): Promise<{ requireApproval: boolean; customers: PendingCustomer[] }> {
  const org = await getOrganisation(db, orgId);
  if (!org) throw notFound('Organisation', orgId);
  const rows = await listAwaitingApproval(db, orgId, opts);
  const customers = new Map<string, PendingCustomer>();
  const actions = new Map<string, PendingAction>();
  for (const r of rows) {
    let c = customers.get(r.customer_id);
    if (!c) {
      c = { customerId: r.customer_id, customerName: r.customer_name, actions: [] };
      customers.set(r.customer_id, c);
    }
    const channel = { channel: r.channel, address: r.to_address };
    const hit = actions.get(r.idempotency_key);
    if (hit) {
      hit.channels.push(channel);
      continue;
    }
    const p = decodeActionPayload(r.items);
    const a: PendingAction = {
      idempotencyKey: r.idempotency_key,
      status: r.status === 'held' ? 'held' : 'awaiting_approval',
      stepKey: r.step_key,
      stepLabel: p.stepLabel,
      policyKey: r.policy_key,
      policyVersion: r.policy_version,
      templateKey: r.template_key,
      plannedFor: r.planned_for,
      reason: r.reason,
      channels: [channel],
      items: p.items.map((i) => ({
        invoiceId: i.invoiceId,
        invoiceNumber: i.invoiceNumber,
        balanceMinor: i.balanceMinor,
        currency: i.currency,
        daysLate: i.daysLate,
      })),
      totals: p.totals,
      decidedBy: r.decided_by,
    };
    actions.set(r.idempotency_key, a);
    c.actions.push(a);
  }
  return {
    requireApproval: dunningSettingsOf(org.settings, org.time_zone).requireApproval,
    customers: [...customers.values()],
  };
}

/**
 * Approve or hold every waiting send of the given customers. An approved send goes back to
 * the outbox as 'planned' — claimed, re-checked and delivered exactly once like any other —
 * and not before the next allowed send slot (an approval at 22:00 does not text a debtor at
 * 22:00). The decision is written to each customer's evidence file.
 */
export async function decideApprovals(
  db: Kysely<Database>,
  orgId: string,
  customerIds: string[],
  decision: 'approve' | 'hold',
  by: string,
  now: Date,
): Promise<{ customers: number; actions: number; rows: number }> {
  const org = await getOrganisation(db, orgId);
  if (!org) throw notFound('Organisation', orgId);
  const settings = dunningSettingsOf(org.settings, org.time_zone);
  const changed = await decideAwaiting(
    db,
    orgId,
    [...new Set(customerIds)],
    decision,
    by,
    nextSendSlot(now, org.time_zone, settings),
  );
  const byCustomer = new Map<string, typeof changed>();
  for (const r of changed) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r]);
  let actions = 0;
  for (const [customerId, rows] of byCustomer) {
    const keys = [...new Set(rows.map((r) => r.idempotency_key))];
    actions += keys.length;
    await appendEvidenceEntry(db, orgId, {
      customerId,
      kind: 'note',
      channel: null,
      summary: `${keys.length} reminder${keys.length === 1 ? '' : 's'} ${decision === 'approve' ? 'approved' : 'held'} by ${by} (${[...new Set(rows.map((r) => r.step_key))].join(', ')})`,
      payload: { decision, by, idempotencyKeys: keys, actionIds: rows.map((r) => r.id) },
      contentSha256: null,
      at: now,
    });
  }
  return { customers: byCustomer.size, actions, rows: changed.length };
}
