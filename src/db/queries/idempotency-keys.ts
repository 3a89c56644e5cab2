import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.js';

export interface StoredAnswer {
  requestHash: string;
  statusCode: number;
  body: unknown;
}

export async function findIdempotentAnswer(
  db: Kysely<Database>,
  orgId: string,
  key: string,
): Promise<StoredAnswer | undefined> {
  const row = await db
    .selectFrom('api_idempotency_keys')
    .select(['request_hash', 'status_code', 'response'])
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  const body = typeof row.response === 'string' ? JSON.parse(row.response) : row.response;
  return { requestHash: row.request_hash, statusCode: row.status_code, body };
}

/** Keep the first answer; a concurrent request that stored one first wins (DO NOTHING). */
export async function storeIdempotentAnswer(
  db: Kysely<Database>,
  orgId: string,
  key: string,
  answer: StoredAnswer,
): Promise<void> {
  await db
    .insertInto('api_idempotency_keys')
    .values({
      org_id: orgId,
      key,
      request_hash: answer.requestHash,
      status_code: answer.statusCode,
      response: JSON.stringify(answer.body),
    })
    .onConflict((oc) => oc.columns(['org_id', 'key']).doNothing())
    .execute();
}
