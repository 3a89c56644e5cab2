import { type Kysely, sql } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import type { CreditPosition } from '../../domain/solvency/credit.js';
import { AppError, notFound } from '../../errors.js';
import type { SolvencyTaskSubject } from './apply-judgment.js';
import { customerCreditPosition } from './credit-position.js';

export interface CreditSettingsInput {
  creditLimitMinor?: number | null;
  pendingOrdersMinor?: number;
  creditGroup?: string | null;
}

const field = (f: string, reason: string, value?: unknown) =>
  new AppError('VALIDATION', `${f}: ${reason}`, [
    { field: f, reason, ...(value !== undefined ? { value: String(value) } : {}) },
  ]);

/**
 * Set a customer's limit, its orders not yet invoiced, or its credit group, then check the
 * exposure: at 80 % a warning task, above 100 % a task proposing the credit hold (a human
 * decides; setCreditHold records it). One open task per level at a time.
 */
export async function setCreditSettings(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  input: CreditSettingsInput,
  now: Date,
): Promise<{ position: CreditPosition; taskId: string | null }> {
  for (const [k, v] of [
    ['creditLimitMinor', input.creditLimitMinor],
    ['pendingOrdersMinor', input.pendingOrdersMinor],
  ] as const)
    if (v !== undefined && v !== null && (!Number.isSafeInteger(v) || v < 0))
      throw field(k, 'a whole number of minor units, 0 or more', v);
  return withOrg(db, orgId, async (trx) => {
    const c = await trx
      .selectFrom('customers')
      .select(['id'])
      .where('org_id', '=', orgId)
      .where('id', '=', customerId)
      .executeTakeFirst();
    if (!c) throw notFound('Customer', customerId);
    const set: Record<string, unknown> = {};
    if (input.creditLimitMinor !== undefined) set.credit_limit_minor = input.creditLimitMinor;
    if (input.pendingOrdersMinor !== undefined) set.pending_orders_minor = input.pendingOrdersMinor;
    if (input.creditGroup !== undefined) set.credit_group = input.creditGroup?.trim() || null;
    if (Object.keys(set).length > 0)
      await trx
        .updateTable('customers')
        .set({ ...set, updated_at: sql`now()` })
        .where('org_id', '=', orgId)
        .where('id', '=', customerId)
        .execute();
    const taskId = await raiseCreditAlert(trx, orgId, customerId, now);
    const { customer } = await customerCreditPosition(trx, orgId, customerId);
    return { position: customer, taskId };
  });
}

/** The alert task for the customer's exposure, if it reaches 80 % or exceeds its limit. */
export async function raiseCreditAlert(
  trx: Kysely<Database>,
  orgId: string,
  customerId: string,
  now: Date,
): Promise<string | null> {
  const { customer: p } = await customerCreditPosition(trx, orgId, customerId);
  if (p.alert === 'none' || p.limitMinor === null) return null;
  const existing = await trx
    .selectFrom('tasks')
    .select('id')
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'open')
    .where('kind', '=', 'follow_up')
    .where(sql<boolean>`detail->>'subject' = 'credit_limit' and detail->>'alert' = ${p.alert}`)
    .executeTakeFirst();
  if (existing) return null;
  const title =
    p.alert === 'over_limit'
      ? `Encours au-delà de la limite de crédit (${p.usedPercent} %) : blocage du crédit proposé`
      : `Encours à ${p.usedPercent} % de la limite de crédit`;
  const task = await trx
    .insertInto('tasks')
    .values({
      org_id: orgId,
      customer_id: customerId,
      invoice_id: null,
      kind: 'follow_up',
      title,
      detail: JSON.stringify({
        subject: 'credit_limit' satisfies SolvencyTaskSubject,
        alert: p.alert,
        exposureMinor: p.exposureMinor,
        limitMinor: p.limitMinor,
        usedPercent: p.usedPercent,
        holdProposed: p.holdProposed,
      }),
      due_date: now.toISOString().slice(0, 10),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind: 'task_created',
    channel: null,
    summary: title,
    payload: { taskId: task.id, alert: p.alert, exposureMinor: p.exposureMinor, limitMinor: p.limitMinor },
    contentSha256: null,
    at: now,
  });
  return task.id;
}
