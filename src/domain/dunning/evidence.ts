import { createHash } from 'node:crypto';

/**
 * The customer's evidence file is a hash chain: each entry's hash covers its canonical
 * JSON and the previous entry's hash, so changing, removing or reordering any entry breaks
 * every later link. One chain per customer, so concurrent workers on different customers
 * never serialise on a single head.
 */
export const GENESIS_HASH = '0'.repeat(64);

export type EvidenceKind =
  | 'action_planned'
  | 'message_sent'
  | 'delivery_status'
  | 'reply_received'
  | 'task_created'
  | 'task_done'
  | 'pause'
  | 'promise_to_pay'
  | 'dispute'
  | 'payment'
  | 'payment_plan'
  | 'note';

export interface EvidenceInput {
  id: string;
  customerId: string;
  /** ISO 8601 instant (UTC). */
  at: string;
  kind: EvidenceKind;
  channel: string | null;
  summary: string;
  payload: Record<string, unknown>;
  /** SHA-256 of the rendered content sent, when a message was sent. */
  contentSha256: string | null;
}

export interface EvidenceEntry extends EvidenceInput {
  seq: number;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level and no undefined: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new RangeError('canonical JSON cannot encode a non-finite number');
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    return JSON.stringify(value) ?? 'null';
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash of an entry given its predecessor's hash. */
export function evidenceHash(entry: EvidenceInput & { seq: number }, prevHash: string): string {
  const body = canonicalJson({
    id: entry.id,
    customerId: entry.customerId,
    seq: entry.seq,
    at: entry.at,
    kind: entry.kind,
    channel: entry.channel,
    summary: entry.summary,
    payload: entry.payload,
    contentSha256: entry.contentSha256,
  });
  return sha256Hex(`${prevHash}\n${body}`);
}

/** The next link after `previous` (null for the first entry of a customer's file). */
export function appendEvidence(previous: EvidenceEntry | null, input: EvidenceInput): EvidenceEntry {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : GENESIS_HASH;
  return { ...input, seq, prevHash, hash: evidenceHash({ ...input, seq }, prevHash) };
}

export type ChainBreak = 'customer_mismatch' | 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch';

export type ChainVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; index: number; id: string; seq: number; problem: ChainBreak; detail: string };

/** Check one customer's chain, entries in seq order; reports the first broken link. */
export function verifyChain(entries: EvidenceEntry[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  const customerId = entries[0]?.customerId;
  for (const [index, e] of entries.entries()) {
    const fail = (problem: ChainBreak, detail: string): ChainVerdict => ({
      ok: false,
      index,
      id: e.id,
      seq: e.seq,
      problem,
      detail,
    });
    if (e.customerId !== customerId)
      return fail('customer_mismatch', `entry belongs to customer ${e.customerId}, chain to ${customerId}`);
    if (e.seq !== expectedSeq) return fail('seq_gap', `expected seq ${expectedSeq}, found ${e.seq}`);
    if (e.prevHash !== prevHash)
      return fail('prev_hash_mismatch', 'prev_hash does not match the previous entry');
    const actual = evidenceHash(e, prevHash);
    if (actual !== e.hash) return fail('hash_mismatch', 'content was changed after it was written');
    prevHash = e.hash;
    expectedSeq++;
  }
  return { ok: true, count: entries.length, head: prevHash };
}
