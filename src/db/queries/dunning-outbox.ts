import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { CustomerPlan, PlannedAction } from '../../domain/dunning/index.js';
import type { DunningActionsTable } from '../schema/dunning.js';
import type { Database } from '../schema/index.js';
import { timeOrderedId } from '../time-ordered-id.js';
import { type ActionPayload, encodeActionPayload } from './action-payload.js';

export type OutboxRow = Selectable<DunningActionsTable>;

/** A JSON string (quoted and escaped), or null. */
function jsonText(v: string | null): string {
  return v === null ? 'null' : JSON.stringify(v);
}

/**
 * An action's outbox rows, each as a JSON object for json_to_recordset: one row per channel of
 * a send; a task (or a send left with no channel) is one 'task' row. What the rows share, the
 * payload above all, is serialised once per action rather than once per row, and no object is
 * built per row: at 1M invoices a first run writes ~480k of them.
 */
export function outboxRowsJson(action: PlannedAction, awaitApproval: boolean): string[] {
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
  const shared =
    `"idempotency_key":${jsonText(action.idempotencyKey)},"customer_id":${jsonText(action.customerId)},` +
    `"policy_id":${jsonText(action.policyId)},"policy_key":${jsonText(action.policyKey)},` +
    `"policy_version":${action.policyVersion},"step_key":${jsonText(action.stepKey)},` +
    `"template_key":${jsonText(action.templateKey)},"items":${JSON.stringify(encodeActionPayload(payload))},` +
    `"reason":${jsonText(action.reason)},"channel_notes":${JSON.stringify(action.channelNotes)},` +
    `"planned_for":${jsonText(action.plannedFor)}`;
  const row = (channel: string, kind: 'send' | 'task', contactId: string | null, address: string | null) => {
    // With approval on, messages to debtors wait for a user; tasks for humans go straight through.
    const status = awaitApproval && kind === 'send' ? 'awaiting_approval' : 'planned';
    return (
      `{"id":"${timeOrderedId()}","channel":${jsonText(channel)},"kind":"${kind}",` +
      `"contact_id":${jsonText(contactId)},"to_address":${jsonText(address)},"status":"${status}",${shared}}`
    );
  };
  if (action.kind === 'task' || action.channels.length === 0) return [row('task', 'task', null, null)];
  return action.channels.map((c) =>
    row(c.channel, c.channel === 'call_task' ? 'task' : 'send', c.contactId, c.address),
  );
}

/** One customer's plan and the policy version it was planned with. */
export interface PlanToStore {
  plan: CustomerPlan;
  policyKey: string;
  policyId: string;
  policyVersion: number;
  /** The stored case already has this policy version and next date: nothing to write for it. */
  caseUnchanged?: boolean;
}

/** A PostgreSQL array literal of quoted elements: `{"a","b"}`, read back exactly by `::text[]`. */
function arrayLiteral(values: readonly (string | number)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    out += typeof v === 'number' ? String(v) : `"${(v as string).replace(/["\\]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

/**
 * The batch's outbox rows, as an INSERT to run in the batch statement: ON CONFLICT DO NOTHING
 * on the idempotency key, so re-planning the same action is a no-op.
 */
function outboxInsert(
  orgId: string,
  plans: PlanToStore[],
  plannedAt: Date,
  awaitApproval: boolean,
): RawBuilder<unknown> | null {
  const rows: string[] = [];
  for (const p of plans)
    for (const action of p.plan.actions) rows.push(...outboxRowsJson(action, awaitApproval));
  if (rows.length === 0) return null;
  // One JSON document for the batch: the payloads are JSON already, and a text[] of them
  // (unnest) measured several times slower to bind. json, not jsonb, all the way into the
  // table's json columns: PostgreSQL checks the text rather than converting it (decision 020).
  return sql`
    insert into dunning_actions (org_id, id, idempotency_key, channel, customer_id, contact_id, to_address,
      policy_id, policy_key, policy_version, step_key, kind, template_key, items, reason, channel_notes,
      planned_for, not_before, status)
    select ${orgId}::uuid, r.id, r.idempotency_key, r.channel, r.customer_id, r.contact_id, r.to_address,
      r.policy_id, r.policy_key, r.policy_version, r.step_key, r.kind, r.template_key, r.items, r.reason,
      r.channel_notes, r.planned_for, ${plannedAt}::timestamptz, r.status
    from json_to_recordset(${`[${rows.join(',')}]`}::json) as r(id uuid, idempotency_key text, channel text,
      customer_id uuid, contact_id uuid, to_address text, policy_id uuid, policy_key text, policy_version int,
      step_key text, kind text, template_key text, items json, reason text, channel_notes json, planned_for date,
      status text)
    on conflict (org_id, customer_id, idempotency_key, channel) do nothing
    returning 1
  `;
}

/**
 * The steps each action's items reach, one row per action (decision 020), as an INSERT to run
 * in the batch statement: the per-action arrays travel as array literals, one text per action
 * and column, so the statement binds flat arrays.
 */
function actionItemsInsert(orgId: string, plans: PlanToStore[], plannedAt: Date): RawBuilder<unknown> | null {
  const steps = {
    key: [] as string[],
    customerId: [] as string[],
    policyId: [] as string[],
    policyVersion: [] as number[],
    invoiceIds: [] as string[],
    seqs: [] as string[],
    stepKeys: [] as string[],
  };
  for (const p of plans)
    for (const a of p.plan.actions) {
      if (a.items.length === 0) continue;
      const invoiceIds: string[] = [];
      const seqs: number[] = [];
      const stepKeys: string[] = [];
      for (const i of a.items) {
        invoiceIds.push(i.invoiceId);
        seqs.push(i.instalmentSeq ?? 0);
        stepKeys.push(i.stepKey);
      }
      steps.key.push(a.idempotencyKey);
      steps.customerId.push(a.customerId);
      steps.policyId.push(a.policyId);
      steps.policyVersion.push(a.policyVersion);
      steps.invoiceIds.push(arrayLiteral(invoiceIds));
      steps.seqs.push(arrayLiteral(seqs));
      steps.stepKeys.push(arrayLiteral(stepKeys));
    }
  if (steps.key.length === 0) return null;
  return sql`
    insert into dunning_action_items (org_id, customer_id, idempotency_key, policy_id, policy_version,
      invoice_ids, instalment_seqs, step_keys, done_at)
    select ${orgId}::uuid, s.customer_id, s.idempotency_key, s.policy_id, s.policy_version,
      s.invoice_ids::uuid[], s.instalment_seqs::int[], s.step_keys::text[], ${plannedAt}::timestamptz
    from unnest(${steps.customerId}::uuid[], ${steps.key}::text[], ${steps.policyId}::uuid[],
      ${steps.policyVersion}::int[], ${steps.invoiceIds}::text[], ${steps.seqs}::text[],
      ${steps.stepKeys}::text[]) as s(customer_id, idempotency_key, policy_id, policy_version, invoice_ids,
      instalment_seqs, step_keys)
    on conflict do nothing
  `;
}

/**
 * Each case's policy and next date, as an UPSERT to run in the batch statement. A case whose
 * policy and next date did not change is left alone: most of a steady-state run's cases, and
 * an update would write a new row version and its index entries for nothing. The run leaves
 * out those it read unchanged; the WHERE still guards the rest.
 */
function casesUpsert(orgId: string, plans: PlanToStore[], plannedAt: Date): RawBuilder<unknown> | null {
  const changed = plans.filter((p) => !p.caseUnchanged);
  if (changed.length === 0) return null;
  return sql`
    insert into dunning_cases (org_id, customer_id, policy_id, policy_key, policy_version, status,
      next_action_date, last_planned_at, updated_at)
    select ${orgId}::uuid, c.customer_id, c.policy_id, c.policy_key, c.policy_version, 'active',
      c.next_action_date, ${plannedAt}::timestamptz, now()
    from unnest(${changed.map((p) => p.plan.customerId)}::uuid[], ${changed.map((p) => p.policyId)}::uuid[],
      ${changed.map((p) => p.policyKey)}::text[], ${changed.map((p) => p.policyVersion)}::int[],
      ${changed.map((p) => p.plan.nextActionDate)}::date[]) as c(customer_id, policy_id, policy_key,
      policy_version, next_action_date)
    on conflict (org_id, customer_id) do update set
      policy_id = excluded.policy_id, policy_key = excluded.policy_key,
      policy_version = excluded.policy_version, next_action_date = excluded.next_action_date,
      last_planned_at = excluded.last_planned_at, updated_at = now()
    where (dunning_cases.policy_id, dunning_cases.policy_version, dunning_cases.next_action_date)
      is distinct from (excluded.policy_id, excluded.policy_version, excluded.next_action_date)
  `;
}

/**
 * Store a batch of plans in one statement, whatever its size: outbox rows, the steps each
 * action's items reach, and each case's next date, as data-modifying CTEs (each runs once,
 * referenced or not). Returns how many outbox rows it inserted.
 */
export async function storePlans(
  db: Kysely<Database>,
  orgId: string,
  plans: PlanToStore[],
  plannedAt: Date,
  opts: { awaitApproval?: boolean } = {},
): Promise<{ inserted: number }> {
  const outbox = outboxInsert(orgId, plans, plannedAt, opts.awaitApproval ?? false);
  const steps = actionItemsInsert(orgId, plans, plannedAt);
  const cases = casesUpsert(orgId, plans, plannedAt);
  if (!outbox && !steps && !cases) return { inserted: 0 };
  const ctes = [
    // The batch's commit need not wait for its WAL to reach the disk: a claim commits
    // synchronously, which flushes the WAL before it, so a row can only be claimed (and sent)
    // once it is durable. A crash may lose the last unclaimed batches; the next run re-plans
    // them, as nothing of theirs was sent (decision 019). A setting, so it holds at commit.
    sql`commit_mode as (select set_config('synchronous_commit', 'off', true) as v)`,
    outbox ? sql`outbox as (${outbox})` : sql`outbox as (select 1 where false)`,
    ...(steps ? [sql`steps as (${steps})`] : []),
    ...(cases ? [sql`cases as (${cases})`] : []),
  ];
  const r = await sql<{ inserted: number }>`
    with ${sql.join(ctes)}
    select (select count(*) from outbox)::int as inserted, (select v from commit_mode) as commit_mode
  `.execute(db);
  return { inserted: r.rows[0]?.inserted ?? 0 };
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
          -- A retry's backoff is wall-clock time: once it has passed, any run may take it,
          -- including a re-run for the same --date (whose asOf is before the backoff's end).
          or (status = 'planned' and attempts > 0 and not_before <= greatest(${asOf}::timestamptz, now()))
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
    status: 'sent' | 'failed' | 'cancelled' | 'planned' | 'held' | 'awaiting_approval';
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

/** Release the steps of an action that will never be sent (cancelled, failed on every channel). */
export async function releaseItemSteps(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  idempotencyKey: string,
): Promise<void> {
  await sql`
    delete from dunning_action_items s
    where s.org_id = ${orgId} and s.customer_id = ${customerId} and s.idempotency_key = ${idempotencyKey}
      and not exists (select 1 from dunning_actions b where b.org_id = s.org_id
        and b.customer_id = s.customer_id and b.idempotency_key = s.idempotency_key
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

export interface PendingWork {
  claimedElsewhere: number;
  waitingForRetry: number;
  nextRetryAt: Date | null;
  queuedForPrint: number;
  failed: number;
  errors: string[];
}

/**
 * What is left of the actions planned for one business date, as `relance run` reports it:
 * claimed by another (or a dead) worker, waiting for a retry, letters handed to the print
 * queue, failed; and the distinct errors, in words.
 */
export async function pendingWorkFor(
  db: Kysely<Database>,
  orgId: string,
  plannedFor: string,
  workerId: string,
): Promise<PendingWork> {
  const r = await sql<{
    claimed: number;
    retry: number;
    next_retry: Date | null;
    print: number;
    failed: number;
  }>`
    select
      count(*) filter (where status = 'claimed' and claimed_by is distinct from ${workerId})::int as claimed,
      count(*) filter (where status = 'planned' and attempts > 0)::int as retry,
      min(not_before) filter (where status = 'planned' and attempts > 0) as next_retry,
      count(*) filter (where status = 'sent' and channel in ('letter', 'registered_letter'))::int as print,
      count(*) filter (where status = 'failed')::int as failed
    from dunning_actions where org_id = ${orgId} and planned_for = ${plannedFor}
  `.execute(db);
  const errors = await sql<{ error: string }>`
    select distinct error from dunning_actions
    where org_id = ${orgId} and planned_for = ${plannedFor} and error is not null
      and (status = 'failed' or (status = 'planned' and attempts > 0))
    limit 5
  `.execute(db);
  const row = r.rows[0];
  return {
    claimedElsewhere: row?.claimed ?? 0,
    waitingForRetry: row?.retry ?? 0,
    nextRetryAt: row?.next_retry ? new Date(row.next_retry) : null,
    queuedForPrint: row?.print ?? 0,
    failed: row?.failed ?? 0,
    errors: errors.rows.map((e) => e.error),
  };
}
