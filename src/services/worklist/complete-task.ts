import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { type Actor, actorLabel } from './actor.js';

export interface CompleteTaskResult {
  taskId: string;
  status: 'done';
  outcome: string;
}

/**
 * Close an open task with what came of it; the customer's evidence file records it. A task
 * already closed is a conflict, so two collectors cannot both complete it.
 */
export async function completeTask(
  db: Kysely<Database>,
  orgId: string,
  taskId: string,
  outcome: string,
  actor: Actor,
  now: Date,
): Promise<CompleteTaskResult> {
  const task = await db
    .selectFrom('tasks')
    .select(['id', 'customer_id', 'invoice_id', 'kind', 'title', 'status'])
    .where('org_id', '=', orgId)
    .where('id', '=', taskId)
    .forUpdate()
    .executeTakeFirst();
  if (!task) throw notFound('Task', taskId);
  if (task.status !== 'open') {
    throw new AppError('CONFLICT', `Task ${taskId} is already ${task.status}`, [
      { field: 'taskId', value: taskId, reason: `already ${task.status}` },
    ]);
  }
  await db
    .updateTable('tasks')
    .set({ status: 'done', done_at: now, outcome })
    .where('org_id', '=', orgId)
    .where('id', '=', taskId)
    .execute();
  await appendEvidenceEntry(db, orgId, {
    customerId: task.customer_id,
    kind: 'task_done',
    channel: null,
    summary: `task done: ${task.title} — ${outcome}`,
    payload: { taskId, kind: task.kind, invoiceId: task.invoice_id, outcome, by: actorLabel(actor) },
    contentSha256: null,
    at: now,
  });
  return { taskId, status: 'done', outcome };
}
