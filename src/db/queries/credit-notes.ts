import { type Kysely, type Selectable, sql } from 'kysely';
import type { CreditNotesTable, Database } from '../schema/index.js';
import {
  afterCursor,
  likePattern,
  type Page,
  type PageParams,
  type SortKey,
  sortKeyText,
  toPage,
} from './pagination.js';

export type CreditNote = Selectable<CreditNotesTable>;

export interface CreditNoteFilters {
  customerId?: string | undefined;
  invoiceId?: string | undefined;
  currency?: string | undefined;
  /** Only credit notes with an amount not yet applied to an invoice. */
  unallocated?: boolean | undefined;
  q?: string | undefined;
}

export type CreditNoteSort = 'issueDate' | 'creditNoteNumber' | 'amount';

const sortKeys: Record<CreditNoteSort, SortKey> = {
  issueDate: { expr: sql`cn.issue_date`, cast: 'date' },
  creditNoteNumber: { expr: sql`cn.credit_note_number`, cast: 'text' },
  amount: { expr: sql`cn.gross_minor`, cast: 'bigint' },
};

export async function listCreditNotes(
  db: Kysely<Database>,
  orgId: string,
  f: CreditNoteFilters,
  page: PageParams<CreditNoteSort>,
): Promise<Page<CreditNote>> {
  const key = sortKeys[page.sort];
  let q = db
    .selectFrom('credit_notes as cn')
    .selectAll('cn')
    .select(sortKeyText(key).as('sort_key'))
    .where('cn.org_id', '=', orgId);
  if (f.customerId) q = q.where('cn.customer_id', '=', f.customerId);
  if (f.invoiceId) {
    const invoiceId = f.invoiceId;
    // Linked at creation, or applied to the invoice later through an allocation.
    q = q.where((eb) =>
      eb.or([
        eb('cn.invoice_id', '=', invoiceId),
        eb.exists(
          eb
            .selectFrom('allocations as a')
            .select('a.id')
            .whereRef('a.org_id', '=', 'cn.org_id')
            .whereRef('a.credit_note_id', '=', 'cn.id')
            .where('a.invoice_id', '=', invoiceId),
        ),
      ]),
    );
  }
  if (f.currency) q = q.where('cn.currency', '=', f.currency);
  if (f.unallocated !== undefined) q = q.where(sql<boolean>`(cn.unallocated_minor > 0) = ${f.unallocated}`);
  if (f.q) q = q.where('cn.credit_note_number', 'ilike', likePattern(f.q));
  const rows = await q
    .where(afterCursor(key, sql`cn.id`, page))
    .orderBy(key.expr, page.direction)
    .orderBy('cn.id', page.direction)
    .limit(page.limit + 1)
    .execute();
  return toPage(rows, page);
}

export function getCreditNote(
  db: Kysely<Database>,
  orgId: string,
  id: string,
): Promise<CreditNote | undefined> {
  return db
    .selectFrom('credit_notes')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}
