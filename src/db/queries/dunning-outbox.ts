import { type Kysely, type Selectable, sql } from 'kysely';
import type { CustomerPlan, PlannedAction } from '../../domain/dunning/index.js';
import type { DunningActionsTable } from '../schema/dunning.js';
import type { Database } from '../schema/index.js';

export type OutboxRow = Selectable<DunningActionsTable>;

/** What an outbox row carries besides its columns (stored in `items`). */
export interface ActionPayload {
  items: PlannedAction['items'];
  statementItems: PlannedAction['statementItems'];
  totals: PlannedAction['totals'];
  stepLabel: string;
  tone: PlannedAction['tone'];
  taskKind: PlannedAction['taskKind'];
  decisionTask: PlannedAction['decisionTask'];
  sideEffects: PlannedAction['sideEffects'];
  deadlineDays: number | null;
}

interface OutboxInsert {
  idempotency_key: string;
  channel: string;
  customer_id: string;
  contact_id: string | null;
  to_address: string | null;
  policy_id: string;
  policy_key: string;
  policy_version: number;
  step_key: string;
  kind: string;
  template_key: string;
  items: ActionPayload;
  reason: string;
  channel_notes: string[];
  planned_for: string;
}

/** One outbox row per channel of a send; a task (or a send left with no channel) is one 'task' row. */
export function outboxRowsOf(action: PlannedAction): OutboxInsert[] {
  const payload: ActionPayload = {
    items: action.items,
    statementItems: action.statementItems,
    totals: action.totals,
    stepLabel: action.stepLabel,
    tone: action.tone,
    taskKind:
      action.taskKind ?? (action.kind === 'send' && action.channels.length === 0 ? 'follow_up' : null),
    decisionTask: action.decisionTask,
    sideEffects: action.sideEffects,
    deadlineDays: action.deadlineDays,
  };
  const base = {
    idempotency_key: action.idempotencyKey,
    customer_id: action.customerId,
    policy_id: action.policyId,
    policy_key: action.policyKey,
    policy_version: action.policyVersion,
    step_key: action.stepKey,
    template_key: action.templateKey,
    items: payload,
    reason: action.reason,
    channel_notes: action.channelNotes,
    planned_for: action.plannedFor,
  };
  if (action.kind === 'task' || action.channels.length === 0) {
    return [{ ...base, channel: 'task', kind: 'task', contact_id: null, to_address: null }];
  }
  return action.channels.map((c) => ({
    ...base,
    channel: c.channel,
    kind: c.channel === 'call_task' ? 'task' : 'send',
    contact_id: c.contactId,
    to_address: c.address,
  }));
}

/**
 * Store a batch of plans: outbox rows (ON CONFLICT DO NOTHING on the idempotency key, so
 * re-planning the same action is a no-op), the per-item step reservations (their primary
 * key makes a step fire at most once per item), and each case's next date. Three
 * statements per batch, whatever its size.
 */
export async function storePlans(
  db: Kysely<Database>,
  orgId: string,
  plans: { plan: CustomerPlan; policyKey: string; policyId: string; policyVersion: number }[],
  plannedAt: Date,
  opts: { awaitApproval?: boolean } = {},
): Promise<{ inserted: number }> {
  const rows = plans.flatMap((p) => p.plan.actions.flatMap(outboxRowsOf));
  // With approval on, messages to debtors wait for a user; tasks for humans go straight through.
  const status = (r: OutboxInsert) =>
    opts.awaitApproval && r.kind === 'send' ? 'awaiting_approval' : 'planned';
  let inserted = 0;
  if (rows.length > 0) {
    // The count is all the caller needs: no RETURNING, nothing sent back per row.
    const res = await sql`
      insert into dunning_actions (org_id, idempotency_key, channel, customer_id, contact_id, to_address,
        policy_id, policy_key, policy_version, step_key, kind, template_key, items, reason, channel_notes,
        planned_for, not_before, status)
      select ${orgId}::uuid, r.idempotency_key, r.channel, r.customer_id, r.contact_id, r.to_address,
        r.policy_id, r.policy_key, r.policy_version, r.step_key, r.kind, r.template_key, r.items, r.reason,
        r.channel_notes, r.planned_for, ${plannedAt}::timestamptz, r.status
      from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ ...r, status: status(r) })))}::jsonb) as r(
        idempotency_key text, channel text, customer_id uuid, contact_id uuid, to_address text,
        policy_id uuid, policy_key text, policy_version int, step_key text, kind text, template_key text,
        items jsonb, reason text, channel_notes jsonb, planned_for date, status text)
      on conflict (org_id, idempotency_key, channel) do nothing
    `.execute(db);
    inserted = Number(res.numAffectedRows ?? 0);
    // Reserve each item's step against the action that carries it. Parallel arrays, not
    // JSON: one row per item is the bulk of a run's writes, and unnest reads them cheaply.
    const steps = {
      invoiceId: [] as string[],
      seq: [] as number[],
      stepKey: [] as string[],
      customerId: [] as string[],
      policyId: [] as string[],
      policyVersion: [] as number[],
      key: [] as string[],
    };
    for (const p of plans)
      for (const a of p.plan.actions)
        for (const i of a.items) {
          steps.invoiceId.push(i.invoiceId);
          steps.seq.push(i.instalmentSeq ?? 0);
          steps.stepKey.push(i.stepKey);
          steps.customerId.push(a.customerId);
          steps.policyId.push(a.policyId);
          steps.policyVersion.push(a.policyVersion);
          steps.key.push(a.idempotencyKey);
        }
    if (steps.key.length > 0) {
      await sql`
        insert into dunning_item_steps (org_id, invoice_id, instalment_seq, step_key, customer_id, policy_id,
          policy_version, action_id, done_at)
        select ${orgId}::uuid, s.invoice_id, s.instalment_seq, s.step_key, s.customer_id, s.policy_id,
          s.policy_version,
          (select a.id from dunning_actions a where a.org_id = ${orgId} and a.idempotency_key = s.idempotency_key
            order by a.channel limit 1),
          ${plannedAt}::timestamptz
        from unnest(${steps.invoiceId}::uuid[], ${steps.seq}::int[], ${steps.stepKey}::text[],
          ${steps.customerId}::uuid[], ${steps.policyId}::uuid[], ${steps.policyVersion}::int[],
          ${steps.key}::text[]) as s(invoice_id, instalment_seq, step_key, customer_id, policy_id,
          policy_version, idempotency_key)
        on conflict do nothing
      `.execute(db);
    }
  }
  const cases = plans.map((p) => ({
    customer_id: p.plan.customerId,
    policy_id: p.policyId,
    policy_key: p.policyKey,
    policy_version: p.policyVersion,
    next_action_date: p.plan.nextActionDate,
  }));
  if (cases.length > 0) {
    await sql`
      insert into dunning_cases (org_id, customer_id, policy_id, policy_key, policy_version, status,
        next_action_date, last_planned_at, updated_at)
      select ${orgId}::uuid, c.customer_id, c.policy_id, c.policy_key, c.policy_version, 'active',
        c.next_action_date, ${plannedAt}::timestamptz, now()
      from jsonb_to_recordset(${JSON.stringify(cases)}::jsonb) as c(
        customer_id uuid, policy_id uuid, policy_key text, policy_version int, next_action_date date)
      on conflict (org_id, customer_id) do update set
        policy_id = excluded.policy_id, policy_key = excluded.policy_key,
        policy_version = excluded.policy_version, next_action_date = excluded.next_action_date,
        last_planned_at = excluded.last_planned_at, updated_at = now()
    `.execute(db);
  }
  return { inserted };
}

/**
 * Claim up to `limit` due rows for one worker. SKIP LOCKED lets any number of workers
 * share the outbox; a claim whose lease ran out (its worker died) is claimable again.
 */
export async function claimActions(
  db: Kysely<Database>,
  orgId: string,
  workerId: string,
  asOf: Date,
  limit: number,
  leaseSeconds: number,
): Promise<OutboxRow[]> {
  const res = await sql<OutboxRow>`
    update dunning_actions a set status = 'claimed', claimed_by = ${workerId}, claimed_at = now(),
      attempts = a.attempts + 1, updated_at = now()
    from (
      select org_id, id from dunning_actions
      where org_id = ${orgId}
        and ((status in ('planned', 'postponed') and not_before <= ${asOf})
          or (status = 'claimed' and claimed_at < now() - make_interval(secs => ${leaseSeconds})))
      order by not_before, id
      limit ${limit}
      for update skip locked
    ) c
    where a.org_id = c.org_id and a.id = c.id
    returning a.*
  `.execute(db);
  return res.rows;
}

/** Settle a claim. Guarded by claimed_by: a worker whose lease was taken over changes nothing. */
export async function settleAction(
  db: Kysely<Database>,
  orgId: string,
  actionId: string,
  workerId: string,
  next: {
    status: 'sent' | 'failed' | 'cancelled' | 'planned';
    statusReason?: string | null;
    providerMessageId?: string | null;
    renderedSha256?: string | null;
    error?: string | null;
    notBefore?: Date;
  },
): Promise<boolean> {
  const res = await sql`
    update dunning_actions set
      status = ${next.status}::text,
      status_reason = ${next.statusReason ?? null}::text,
      error = ${next.error ?? null}::text,
      sent_at = case when ${next.status}::text = 'sent' then now() else sent_at end,
      provider_message_id = coalesce(${next.providerMessageId ?? null}::text, provider_message_id),
      rendered_sha256 = coalesce(${next.renderedSha256 ?? null}::text, rendered_sha256),
      not_before = coalesce(${next.notBefore ?? null}::timestamptz, not_before),
      claimed_by = case when ${next.status}::text = 'planned' then null else claimed_by end,
      claimed_at = case when ${next.status}::text = 'planned' then null else claimed_at end,
      updated_at = now()
    where org_id = ${orgId} and id = ${actionId} and claimed_by = ${workerId} and status = 'claimed'
  `.execute(db);
  return Number(res.numAffectedRows ?? 0) === 1;
}

/** Release item-step reservations of an action that will never be sent (cancelled, failed). */
export async function releaseItemSteps(
  db: Kysely<Database>,
  orgId: string,
  idempotencyKey: string,
): Promise<void> {
  await sql`
    delete from dunning_item_steps s using dunning_actions a
    where s.org_id = ${orgId} and a.org_id = s.org_id and a.id = s.action_id and a.idempotency_key = ${idempotencyKey}
      and not exists (select 1 from dunning_actions b where b.org_id = a.org_id
        and b.idempotency_key = a.idempotency_key
        and b.status in ('sent', 'planned', 'claimed', 'awaiting_approval', 'held'))
  `.execute(db);
}

export async function countUndelivered(db: Kysely<Database>, orgId: string, asOf: Date): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from dunning_actions
    where org_id = ${orgId} and status in ('planned', 'claimed', 'postponed') and not_before <= ${asOf}
  `.execute(db);
  return r.rows[0]?.n ?? 0;
}
