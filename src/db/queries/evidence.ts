import { type Kysely, sql } from 'kysely';
import { appendEvidence, type EvidenceEntry, type EvidenceInput } from '../../domain/dunning/index.js';
import type { Database } from '../schema/index.js';

interface EvidenceRow {
  id: string;
  customer_id: string;
  seq: number;
  at: Date;
  kind: string;
  channel: string | null;
  summary: string;
  payload: Record<string, unknown>;
  content_sha256: string | null;
  prev_hash: string;
  hash: string;
}

function toEntry(r: EvidenceRow): EvidenceEntry {
  return {
    id: r.id,
    customerId: r.customer_id,
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    kind: r.kind as EvidenceEntry['kind'],
    channel: r.channel,
    summary: r.summary,
    payload: r.payload,
    contentSha256: r.content_sha256,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * Append to a customer's evidence file inside the caller's transaction. A transaction-scoped
 * advisory lock on (organisation, customer) serialises writers of one file only, so workers
 * on different customers never wait on each other; the (org, customer, seq) key is the
 * backstop against a fork.
 */
export async function appendEvidenceEntry(
  db: Kysely<Database>,
  orgId: string,
  input: Omit<EvidenceInput, 'id' | 'at'> & { id?: string; at?: Date },
): Promise<EvidenceEntry> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`evidence:${orgId}:${input.customerId}`}, 0))`.execute(
    db,
  );
  const head = await sql<EvidenceRow>`
    select * from evidence where org_id = ${orgId} and customer_id = ${input.customerId}
    order by seq desc limit 1
  `.execute(db);
  const previous = head.rows[0] ? toEntry(head.rows[0]) : null;
  // Millisecond precision: what is hashed must be what timestamptz gives back.
  const at = new Date(Math.floor((input.at ?? new Date()).getTime()));
  const entry = appendEvidence(previous, {
    ...input,
    id: input.id ?? crypto.randomUUID(),
    at: at.toISOString(),
  });
  await sql`
    insert into evidence (org_id, customer_id, seq, id, at, kind, channel, summary, payload, content_sha256, prev_hash, hash)
    values (${orgId}, ${entry.customerId}, ${entry.seq}, ${entry.id}, ${entry.at}, ${entry.kind}, ${entry.channel},
      ${entry.summary}, ${JSON.stringify(entry.payload)}::jsonb, ${entry.contentSha256}, ${entry.prevHash}, ${entry.hash})
  `.execute(db);
  return entry;
}

export async function listEvidence(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
): Promise<EvidenceEntry[]> {
  const r = await sql<EvidenceRow>`
    select * from evidence where org_id = ${orgId} and customer_id = ${customerId} order by seq
  `.execute(db);
  return r.rows.map(toEntry);
}

/** Customers that have an evidence file, in id order after `after` (keyset). */
export async function customersWithEvidence(
  db: Kysely<Database>,
  orgId: string,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const r = await sql<{ customer_id: string }>`
    select distinct customer_id from evidence where org_id = ${orgId}
      ${after ? sql`and customer_id > ${after}` : sql``}
    order by customer_id limit ${limit}
  `.execute(db);
  return r.rows.map((x) => x.customer_id);
}
