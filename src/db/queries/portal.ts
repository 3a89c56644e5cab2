import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema/index.js';

export async function getPortalSecret(db: Kysely<Database>, orgId: string): Promise<string | null> {
  const r = await db
    .selectFrom('portal_secrets')
    .select('secret_hex')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return r?.secret_hex ?? null;
}

/** Insert the organisation's secret unless one exists; returns the one that won. */
export async function ensurePortalSecret(
  db: Kysely<Database>,
  orgId: string,
  candidateHex: string,
): Promise<string> {
  await db
    .insertInto('portal_secrets')
    .values({ org_id: orgId, secret_hex: candidateHex })
    .onConflict((oc) => oc.column('org_id').doNothing())
    .execute();
  const stored = await getPortalSecret(db, orgId);
  return stored ?? candidateHex;
}

export interface PortalLinkInsert {
  id: string;
  customerId: string;
  tokenHash: string;
  expiresAt: Date;
  createdBy: string | null;
}

export async function insertPortalLink(
  db: Kysely<Database>,
  orgId: string,
  link: PortalLinkInsert,
): Promise<void> {
  await db
    .insertInto('portal_links')
    .values({
      org_id: orgId,
      id: link.id,
      customer_id: link.customerId,
      token_hash: link.tokenHash,
      expires_at: link.expiresAt,
      created_by: link.createdBy,
    })
    .execute();
}

export function getPortalLink(db: Kysely<Database>, orgId: string, id: string) {
  return db
    .selectFrom('portal_links')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Revoke every live link of a customer (or one link); returns how many were revoked. */
export async function revokePortalLinks(
  db: Kysely<Database>,
  orgId: string,
  scope: { customerId: string } | { linkId: string },
  now: Date,
): Promise<number> {
  let q = db
    .updateTable('portal_links')
    .set({ revoked_at: now })
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null);
  q =
    'customerId' in scope ? q.where('customer_id', '=', scope.customerId) : q.where('id', '=', scope.linkId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Count a visit; returns whether it was the link's first. */
export async function recordPortalVisit(
  db: Kysely<Database>,
  orgId: string,
  linkId: string,
  now: Date,
): Promise<{ firstView: boolean }> {
  // The old value of first_viewed_at is read in the same statement, so two concurrent
  // first visits cannot both claim to be first.
  const r = await sql<{ first_view: boolean }>`
    update portal_links l set
      first_viewed_at = coalesce(l.first_viewed_at, ${now}),
      last_viewed_at = ${now},
      view_count = l.view_count + 1
    from (select id, first_viewed_at from portal_links where org_id = ${orgId} and id = ${linkId} for update) old
    where l.org_id = ${orgId} and l.id = old.id
    returning old.first_viewed_at is null as first_view
  `.execute(db);
  return { firstView: r.rows[0]?.first_view ?? false };
}

/** Remember an issued RF reference so bank matching can map it back to the customer. */
export async function recordPortalReference(
  db: Kysely<Database>,
  orgId: string,
  ref: { reference: string; customerId: string; kind: 'customer' | 'selection'; invoiceIds: string[] },
): Promise<void> {
  await db
    .insertInto('portal_references')
    .values({
      org_id: orgId,
      reference: ref.reference,
      customer_id: ref.customerId,
      kind: ref.kind,
      invoice_ids: ref.invoiceIds,
    })
    .onConflict((oc) => oc.columns(['org_id', 'reference']).doNothing())
    .execute();
}

export function findPortalReference(db: Kysely<Database>, orgId: string, reference: string) {
  return db
    .selectFrom('portal_references')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('reference', '=', reference)
    .executeTakeFirst();
}

/** The customer's items still owed (balance > 0), oldest due first. */
export function listOpenItems(db: Kysely<Database>, orgId: string, customerId: string) {
  return db
    .selectFrom('invoices')
    .select([
      'id',
      'invoice_number',
      'issue_date',
      'due_date',
      'currency',
      'gross_minor',
      'balance_minor',
      'status',
      'disputed',
    ])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('balance_minor', '>', 0)
    .orderBy('due_date')
    .orderBy('invoice_number')
    .execute();
}

export type OpenItemRow = Awaited<ReturnType<typeof listOpenItems>>[number];
