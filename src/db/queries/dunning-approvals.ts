import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema/index.js';
import type { OutboxRow } from './dunning-outbox.js';

export type ApprovalRow = OutboxRow & { customer_name: string };

/** Sends waiting for a decision (and those held), oldest plan first. */
export async function listAwaitingApproval(
  db: Kysely<Database>,
  orgId: string,
  opts: { includeHeld: boolean },
): Promise<ApprovalRow[]> {
  const statuses = opts.includeHeld ? ['awaiting_approval', 'held'] : ['awaiting_approval'];
  const r = await sql<ApprovalRow>`
    select a.*, c.name as customer_name from dunning_actions a
    join customers c on c.org_id = a.org_id and c.id = a.customer_id
    where a.org_id = ${orgId} and a.status = any(${statuses}::text[])
    order by c.name, a.customer_id, a.planned_for, a.idempotency_key, a.channel
  `.execute(db);
  return r.rows;
}

/**
 * Approve (back to 'planned', claimable from `notBefore` on) or hold the waiting sends of
 * some customers. Only rows still waiting change — a second click, or a decision racing
 * another user's, changes nothing — and the affected rows are returned for the evidence file.
 */
export async function decideAwaiting(
  db: Kysely<Database>,
  orgId: string,
  customerIds: string[],
  decision: 'approve' | 'hold',
  by: string,
  notBefore: Date,
): Promise<
  { id: string; customer_id: string; idempotency_key: string; channel: string; step_key: string }[]
> {
  const from = decision === 'approve' ? ['awaiting_approval', 'held'] : ['awaiting_approval'];
  const to = decision === 'approve' ? 'planned' : 'held';
  const r = await sql<{
    id: string;
    customer_id: string;
    idempotency_key: string;
    channel: string;
    step_key: string;
  }>`
    update dunning_actions set status = ${to}::text, decided_by = ${by}, decided_at = now(),
      not_before = case when ${to}::text = 'planned' then greatest(not_before, ${notBefore}::timestamptz) else not_before end,
      updated_at = now()
    where org_id = ${orgId} and customer_id = any(${customerIds}::uuid[]) and status = any(${from}::text[])
    returning id, customer_id, idempotency_key, channel, step_key
  `.execute(db);
  return r.rows;
}
