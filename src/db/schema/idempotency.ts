import type { Generated } from 'kysely';
import type { Timestamp } from './organisations.js';

/** Migration 0070: the first answer to each Idempotency-Key of the API's write routes. */
export interface ApiIdempotencyKeysTable {
  org_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: Generated<Timestamp>;
}
