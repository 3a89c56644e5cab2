import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Database, DocumentKind, DocumentsTable } from '../schema/index.js';
import { afterCursor, type Page, type PageParams, type SortKey, sortKeyText, toPage } from './pagination.js';

/** Everything but the bytes: lists never load document content. */
export type DocumentMeta = Omit<Selectable<DocumentsTable>, 'content'>;

const metaColumns = [
  'd.org_id',
  'd.id',
  'd.customer_id',
  'd.invoice_id',
  'd.kind',
  'd.filename',
  'd.mime_type',
  'd.size_bytes',
  'd.sha256',
  'd.created_at',
] as const;
type MetaColumn = (typeof metaColumns)[number] extends `d.${infer C}` ? C : never;

export interface DocumentFilters {
  customerId?: string | undefined;
  invoiceId?: string | undefined;
  kind?: DocumentKind | undefined;
}

export type DocumentSort = 'createdAt' | 'filename';

const sortKeys: Record<DocumentSort, SortKey> = {
  createdAt: { expr: sql`d.created_at`, cast: 'timestamptz' },
  filename: { expr: sql`d.filename`, cast: 'text' },
};

export async function listDocuments(
  db: Kysely<Database>,
  orgId: string,
  f: DocumentFilters,
  page: PageParams<DocumentSort>,
): Promise<Page<DocumentMeta>> {
  const key = sortKeys[page.sort];
  let q = db
    .selectFrom('documents as d')
    .select(metaColumns)
    .select(sortKeyText(key).as('sort_key'))
    .where('d.org_id', '=', orgId);
  if (f.customerId) q = q.where('d.customer_id', '=', f.customerId);
  if (f.invoiceId) q = q.where('d.invoice_id', '=', f.invoiceId);
  if (f.kind) q = q.where('d.kind', '=', f.kind);
  const rows = await q
    .where(afterCursor(key, sql`d.id`, page))
    .orderBy(key.expr, page.direction)
    .orderBy('d.id', page.direction)
    .limit(page.limit + 1)
    .execute();
  return toPage(rows, page);
}

/** Documents attached to an invoice directly (the invoice detail lists their metadata). */
export function listInvoiceDocuments(
  db: Kysely<Database>,
  orgId: string,
  invoiceId: string,
): Promise<DocumentMeta[]> {
  return db
    .selectFrom('documents as d')
    .select(metaColumns)
    .where('d.org_id', '=', orgId)
    .where('d.invoice_id', '=', invoiceId)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .execute();
}

export function getDocumentMeta(
  db: Kysely<Database>,
  orgId: string,
  id: string,
): Promise<DocumentMeta | undefined> {
  return db
    .selectFrom('documents as d')
    .select(metaColumns)
    .where('d.org_id', '=', orgId)
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export function getDocumentContent(
  db: Kysely<Database>,
  orgId: string,
  id: string,
): Promise<(DocumentMeta & { content: Uint8Array }) | undefined> {
  return db
    .selectFrom('documents as d')
    .select(metaColumns)
    .select('d.content')
    .where('d.org_id', '=', orgId)
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export function insertDocument(db: Kysely<Database>, row: Insertable<DocumentsTable>): Promise<DocumentMeta> {
  return db
    .insertInto('documents')
    .values(row)
    .returning(metaColumns.map((c) => c.slice(2) as MetaColumn))
    .executeTakeFirstOrThrow();
}
