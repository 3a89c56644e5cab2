import { type Kysely, type Selectable, sql } from 'kysely';
import {
  afterCursor,
  type Page,
  type PageParams,
  type SortKey,
  sortKeyText,
  toPage,
} from '../../db/queries/pagination.js';
import type { Database, ImportBatchesTable, ImportEntity } from '../../db/schema/index.js';

// Read side of import batches for the API (the import use case owns the writes in
// src/db/queries/imports.ts).
export type ImportBatch = Selectable<ImportBatchesTable>;

const startedAt: SortKey = { expr: sql`b.started_at`, cast: 'timestamptz' };

export async function listImportBatches(
  db: Kysely<Database>,
  orgId: string,
  f: { entity?: ImportEntity | undefined; status?: ImportBatch['status'] | undefined },
  page: PageParams<'startedAt'>,
): Promise<Page<ImportBatch>> {
  let q = db
    .selectFrom('import_batches as b')
    .selectAll('b')
    .select(sortKeyText(startedAt).as('sort_key'))
    .where('b.org_id', '=', orgId);
  if (f.entity) q = q.where('b.entity', '=', f.entity);
  if (f.status) q = q.where('b.status', '=', f.status);
  const rows = await q
    .where(afterCursor(startedAt, sql`b.id`, page))
    .orderBy(startedAt.expr, page.direction)
    .orderBy('b.id', page.direction)
    .limit(page.limit + 1)
    .execute();
  return toPage(rows, page);
}

export function getImportBatch(
  db: Kysely<Database>,
  orgId: string,
  id: string,
): Promise<ImportBatch | undefined> {
  return db
    .selectFrom('import_batches')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}
