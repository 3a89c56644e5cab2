import { type Kysely, sql } from 'kysely';
import type { Database, TaskKindColumn } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

export interface NewTask {
  customerId: string;
  kind: TaskKindColumn;
  title: string;
  detail: Record<string, unknown>;
  dueDate: string;
  invoiceId?: string;
}

/** A task for a collector, raised by something a channel received (a reply, a bounce). */
export async function insertTask(db: Kysely<Database>, orgId: string, t: NewTask): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into tasks (org_id, customer_id, invoice_id, kind, title, detail, due_date)
    values (${orgId}, ${t.customerId}, ${t.invoiceId ?? null}, ${t.kind}, ${t.title.slice(0, 300)},
      ${JSON.stringify(t.detail)}::jsonb, ${t.dueDate})
    returning id`.execute(db);
  const id = r.rows[0]?.id;
  if (!id) throw new AppError('INTERNAL', 'task insert returned no id');
  return id;
}
