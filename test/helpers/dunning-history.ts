import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/schema/index.js';
import { FR_B2B_STANDARD } from '../../src/domain/dunning/index.js';

/**
 * Record dunning steps as already carried out and sent for some invoices (no outbox row
 * behind them: the planner counts them as sent when done). A later step presupposes the
 * earlier ones (decision 021), so a test about a mise en demeure or an SMS reminder seeds
 * the reminders before it.
 */
export async function seedStepsSent(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  invoiceIds: string[],
  steps: [stepKey: string, at: string][],
  policy = FR_B2B_STANDARD,
): Promise<void> {
  await db
    .insertInto('dunning_action_items')
    .values(
      steps.map(([step, at]) => ({
        org_id: orgId,
        customer_id: customerId,
        idempotency_key: `seeded-${customerId}-${step}-${invoiceIds.join('-')}`,
        policy_id: policy.id,
        policy_version: policy.version,
        invoice_ids: invoiceIds,
        instalment_seqs: invoiceIds.map(() => 0),
        step_keys: invoiceIds.map(() => step),
        done_at: sql`${at}::timestamptz`,
      })),
    )
    .execute();
}

/** `seedStepsSent` for every invoice of the organisation due in (`dueAfter`, `dueBy`], per customer. */
export async function seedStepsSentForOverdue(
  db: Kysely<Database>,
  orgId: string,
  dueBy: string,
  steps: [stepKey: string, at: string][],
  dueAfter = '0001-01-01',
): Promise<number> {
  const rows = await db
    .selectFrom('invoices')
    .select(['id', 'customer_id'])
    .where('org_id', '=', orgId)
    .where('due_date', '<=', dueBy)
    .where('due_date', '>', dueAfter)
    .execute();
  const byCustomer = new Map<string, string[]>();
  for (const r of rows) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r.id]);
  for (const [customerId, ids] of byCustomer) await seedStepsSent(db, orgId, customerId, ids, steps);
  return rows.length;
}
