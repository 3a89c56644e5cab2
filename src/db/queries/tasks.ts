import { type Kysely, sql } from 'kysely';
import type { Database, TaskKindColumn } from '../schema/index.js';
import { afterCursor, type Page, type PageParams, type SortKey, sortKeyText, toPage } from './pagination.js';

export interface TaskFilters {
  status?: ('open' | 'done' | 'cancelled')[] | undefined;
  kinds?: TaskKindColumn[] | undefined;
  /** A user id, or null for tasks nobody is assigned to (the customer's collector counts). */
  assignee?: string | null | undefined;
  customerId?: string | undefined;
  /** Due on or before. */
  dueBefore?: string | undefined;
}

export type TaskSort = 'dueDate' | 'createdAt';

export interface TaskRow {
  id: string;
  customer_id: string;
  customer_name: string;
  invoice_id: string | null;
  invoice_number: string | null;
  kind: TaskKindColumn;
  title: string;
  detail: Record<string, unknown>;
  due_date: string;
  /** The task's own assignee, else the invoice's, else the customer's collector. */
  assignee: string | null;
  assignee_name: string | null;
  status: 'open' | 'done' | 'cancelled';
  created_at: Date;
  done_at: Date | null;
  outcome: string | null;
}

const sortKeys: Record<TaskSort, SortKey> = {
  dueDate: { expr: sql`t.due_date`, cast: 'date' },
  createdAt: { expr: sql`t.created_at`, cast: 'timestamptz' },
};

function taskBase(db: Kysely<Database>, orgId: string) {
  return db
    .selectFrom('tasks as t')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.org_id', '=', 't.org_id').onRef('c.id', '=', 't.customer_id'),
    )
    .leftJoin('invoices as i', (j) => j.onRef('i.org_id', '=', 't.org_id').onRef('i.id', '=', 't.invoice_id'))
    .leftJoin('users as u', (j) =>
      j
        .onRef('u.org_id', '=', 't.org_id')
        .on(sql`u.id::text`, '=', sql`coalesce(t.assignee, i.assigned_collector, c.assigned_collector)`),
    )
    .select([
      't.id',
      't.customer_id',
      'c.name as customer_name',
      't.invoice_id',
      'i.invoice_number',
      't.kind',
      't.title',
      't.detail',
      't.due_date',
      sql<string | null>`coalesce(t.assignee, i.assigned_collector, c.assigned_collector)`.as('assignee'),
      'u.name as assignee_name',
      't.status',
      sql<Date>`t.created_at`.as('created_at'),
      sql<Date | null>`t.done_at`.as('done_at'),
      't.outcome',
    ])
    .where('t.org_id', '=', orgId);
}

export async function listTasks(
  db: Kysely<Database>,
  orgId: string,
  f: TaskFilters,
  page: PageParams<TaskSort>,
): Promise<Page<TaskRow>> {
  const key = sortKeys[page.sort];
  let q = taskBase(db, orgId).select(sortKeyText(key).as('sort_key'));
  if (f.status && f.status.length > 0) q = q.where('t.status', 'in', f.status);
  if (f.kinds && f.kinds.length > 0) q = q.where('t.kind', 'in', f.kinds);
  if (f.assignee === null)
    q = q.where(sql<boolean>`coalesce(t.assignee, i.assigned_collector, c.assigned_collector) is null`);
  else if (f.assignee !== undefined)
    q = q.where(
      sql<boolean>`coalesce(t.assignee, i.assigned_collector, c.assigned_collector) = ${f.assignee}`,
    );
  if (f.customerId) q = q.where('t.customer_id', '=', f.customerId);
  if (f.dueBefore) q = q.where('t.due_date', '<=', f.dueBefore);
  const rows = await q
    .where(afterCursor(key, sql`t.id`, page))
    .orderBy(key.expr, page.direction)
    .orderBy('t.id', page.direction)
    .limit(page.limit + 1)
    .execute();
  return toPage(rows as (TaskRow & { sort_key: string })[], page);
}

export async function getTask(db: Kysely<Database>, orgId: string, id: string): Promise<TaskRow | undefined> {
  return (await taskBase(db, orgId).where('t.id', '=', id).executeTakeFirst()) as TaskRow | undefined;
}
