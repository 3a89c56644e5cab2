import type { Kysely } from 'kysely';
import { revokeApiKey as revokeQuery } from '../../db/queries/api-keys.js';
import type { Database } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';

export async function revokeApiKey(db: Kysely<Database>, orgId: string, keyId: string): Promise<void> {
  if (!(await revokeQuery(db, orgId, keyId))) throw notFound('Active API key', keyId);
}
