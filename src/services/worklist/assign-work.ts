import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import { checkCollector } from './actor.js';

/** Give a task to a collector (null: back to the customer's collector). */
export async function assignTask(
  db: Kysely<Database>,
  orgId: string,
  taskId: string,
  assignee: string | null,
): Promise<void> {
  const id = await checkCollector(db, orgId, assignee, 'assignee');
  const r = await db
    .updateTable('tasks')
    .set({ assignee: id })
    .where('org_id', '=', orgId)
    .where('id', '=', taskId)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw notFound('Task', taskId);
}

/** The customer's collector: its items and tasks without their own assignee go to them. */
export async function assignCustomer(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  collector: string | null,
): Promise<void> {
  const id = await checkCollector(db, orgId, collector, 'collector');
  const r = await db
    .updateTable('customers')
    .set({ assigned_collector: id, updated_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw notFound('Customer', customerId);
}
