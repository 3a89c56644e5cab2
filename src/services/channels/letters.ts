import { type Kysely, sql } from 'kysely';
import { withOrg } from '../../db/connection.js';
import {
  findDelivery,
  type MessageDelivery,
  markLetterPosted,
  recordLetterReceipt,
} from '../../db/queries/deliveries.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { decodeCursor, encodeCursor } from '../../db/queries/pagination.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';

export type LetterQueueStatus = 'to_print' | 'posted' | 'delivered' | 'all';

export interface LetterRow {
  id: string;
  customerId: string;
  customerName: string;
  actionId: string | null;
  registered: boolean;
  status: string;
  toAddress: string;
  documentId: string | null;
  documentSha256: string | null;
  trackingNumber: string | null;
  postedOn: string | null;
  receivedOn: string | null;
  createdAt: Date;
}

const STATUSES: Record<LetterQueueStatus, string[] | null> = {
  to_print: ['queued_for_print'],
  posted: ['posted'],
  delivered: ['delivered'],
  all: null,
};

export interface LetterPage {
  items: LetterRow[];
  nextCursor: string | null;
  /** Letters in this status, all pages together ("12 to print"). */
  total: number;
}

/**
 * The print queue: letters rendered without a postal provider, oldest first, and their later
 * states. Keyset pages on (created_at, id): a letter queued by a run while the collector walks
 * the list neither shifts nor repeats a row. The cursor keeps created_at as PostgreSQL text,
 * microseconds included, which a JavaScript Date would round.
 */
export async function listLetters(
  db: Kysely<Database>,
  orgId: string,
  q: { status: LetterQueueStatus; limit: number; cursor?: string | undefined; id?: string | undefined },
): Promise<LetterPage> {
  const wanted = STATUSES[q.status];
  const after = q.cursor ? decodeCursor(q.cursor, 'createdAt', 'asc') : null;
  return withOrg(db, orgId, async (trx) => {
    const filter = sql`d.org_id = ${orgId} and d.channel = 'letter'
        ${wanted ? sql`and d.status = any(${wanted}::text[])` : sql``}
        ${q.id ? sql`and d.id = ${q.id}` : sql``}`;
    const r = await sql<LetterRow & { createdAtKey: string }>`
      select d.id, d.customer_id as "customerId", c.name as "customerName", d.action_id as "actionId",
        coalesce(a.channel = 'registered_letter', false) as registered, d.status, d.to_address as "toAddress",
        d.document_id as "documentId", d.document_sha256 as "documentSha256",
        d.tracking_number as "trackingNumber", d.posted_on::text as "postedOn", d.received_on::text as "receivedOn",
        d.created_at as "createdAt", d.created_at::text as "createdAtKey"
      from message_deliveries d
      join customers c on c.org_id = d.org_id and c.id = d.customer_id
      left join dunning_actions a on a.org_id = d.org_id and a.id = d.action_id
      where ${filter}
        ${after ? sql`and (d.created_at, d.id) > (${after.key}::timestamptz, ${after.id}::uuid)` : sql``}
      order by d.created_at, d.id
      limit ${q.limit + 1}`.execute(trx);
    const count = await sql<{ n: number }>`
      select count(*)::int as n from message_deliveries d where ${filter}`.execute(trx);
    const rows = r.rows.slice(0, q.limit);
    const last = rows[rows.length - 1];
    return {
      items: rows.map(({ createdAtKey: _key, ...x }) => ({ ...x, createdAt: new Date(x.createdAt) })),
      nextCursor:
        r.rows.length > q.limit && last ? encodeCursor('createdAt', 'asc', last.createdAtKey, last.id) : null,
      total: count.rows[0]?.n ?? 0,
    };
  });
}

/** The rendered PDF of a letter, as stored when it was rendered (its hash is on the timeline). */
export async function letterPdf(
  db: Kysely<Database>,
  orgId: string,
  deliveryId: string,
): Promise<{ filename: string; content: Buffer; sha256: string }> {
  return withOrg(db, orgId, async (trx) => {
    const d = await findDelivery(trx, orgId, deliveryId);
    if (d?.channel !== 'letter') throw notFound('Letter', deliveryId);
    if (!d.document_id) throw new AppError('NOT_FOUND', `letter ${deliveryId} has no stored PDF`);
    const doc = await trx
      .selectFrom('documents')
      .select(['filename', 'content', 'sha256'])
      .where('org_id', '=', orgId)
      .where('id', '=', d.document_id)
      .executeTakeFirst();
    if (!doc) throw new AppError('NOT_FOUND', `letter ${deliveryId} has no stored PDF`);
    return { filename: doc.filename, content: Buffer.from(doc.content), sha256: doc.sha256 };
  });
}

async function letterOrThrow(trx: Kysely<Database>, orgId: string, id: string): Promise<MessageDelivery> {
  const d = await findDelivery(trx, orgId, id);
  if (d?.channel !== 'letter') throw notFound('Letter', id);
  return d;
}

/**
 * The collector printed the letter and handed it to the post office: record the date and,
 * for a registered letter, the tracking number (the proof of sending), on the delivery
 * and on the customer's timeline. Repeating the same posting changes nothing.
 */
export async function postLetter(
  db: Kysely<Database>,
  orgId: string,
  deliveryId: string,
  p: { postedOn: string; trackingNumber?: string; by?: string },
): Promise<MessageDelivery> {
  return withOrg(db, orgId, async (trx) => {
    const before = await letterOrThrow(trx, orgId, deliveryId);
    if (
      before.status === 'posted' &&
      before.posted_on === p.postedOn &&
      (before.tracking_number ?? undefined) === p.trackingNumber
    ) {
      return before;
    }
    const row = await markLetterPosted(trx, orgId, deliveryId, p);
    await appendEvidenceEntry(trx, orgId, {
      customerId: row.customer_id,
      kind: 'delivery_status',
      channel: 'letter',
      summary: `Letter handed to the post on ${p.postedOn}${p.trackingNumber ? ` (tracking no. ${p.trackingNumber})` : ''}`,
      payload: {
        deliveryId,
        status: 'posted',
        postedOn: p.postedOn,
        trackingNumber: p.trackingNumber ?? null,
        documentSha256: row.document_sha256,
        by: p.by ?? null,
      },
      contentSha256: row.document_sha256,
    });
    return row;
  });
}

/** The signed acknowledgement of receipt (avis de réception) came back: delivered on that date. */
export async function receiveLetterReceipt(
  db: Kysely<Database>,
  orgId: string,
  deliveryId: string,
  p: { receivedOn: string; scanDocumentId?: string | undefined; by?: string },
): Promise<MessageDelivery> {
  return withOrg(db, orgId, async (trx) => {
    const before = await letterOrThrow(trx, orgId, deliveryId);
    if (before.status === 'delivered' && before.received_on === p.receivedOn) return before;
    // The scan of the signed card is evidence for this customer only: a document filed on
    // another customer would put someone else's proof in this file.
    const scan = p.scanDocumentId
      ? await trx
          .selectFrom('documents')
          .select(['id', 'sha256', 'customer_id'])
          .where('org_id', '=', orgId)
          .where('id', '=', p.scanDocumentId)
          .executeTakeFirst()
      : undefined;
    if (p.scanDocumentId && scan?.customer_id !== before.customer_id) {
      throw new AppError('VALIDATION', 'the scan is not a document of this customer', [
        {
          field: 'scanDocumentId',
          value: p.scanDocumentId,
          reason: "not a document of the letter's customer",
        },
      ]);
    }
    if (before.posted_on && p.receivedOn < before.posted_on) {
      throw new AppError(
        'VALIDATION',
        `received on ${p.receivedOn}, before it was posted on ${before.posted_on}`,
        [{ field: 'receivedOn', value: p.receivedOn, reason: 'must not be before the posting date' }],
      );
    }
    const row = await recordLetterReceipt(trx, orgId, deliveryId, p.receivedOn);
    await appendEvidenceEntry(trx, orgId, {
      customerId: row.customer_id,
      kind: 'delivery_status',
      channel: 'letter',
      summary: `Acknowledgement of receipt: letter received on ${p.receivedOn}${row.tracking_number ? ` (${row.tracking_number})` : ''}`,
      payload: {
        deliveryId,
        status: 'delivered',
        receivedOn: p.receivedOn,
        trackingNumber: row.tracking_number,
        scanDocumentId: scan?.id ?? null,
        by: p.by ?? null,
      },
      contentSha256: scan?.sha256 ?? null,
    });
    return row;
  });
}
