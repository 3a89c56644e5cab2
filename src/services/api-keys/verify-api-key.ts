import type { Kysely } from 'kysely';
import { findApiKeyByPrefix, touchApiKey } from '../../db/queries/api-keys.js';
import type { Database, Role } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { parseToken, secretMatches } from './token.js';

export interface ApiKeyIdentity {
  orgId: string;
  keyId: string;
  role: Role;
}

/**
 * Resolve a bearer token to its organisation and role. Every failure gives the same
 * answer, so a caller cannot tell an unknown prefix from a wrong secret or a revoked key.
 */
export async function verifyApiKey(db: Kysely<Database>, token: string): Promise<ApiKeyIdentity> {
  const unauthenticated = new AppError('UNAUTHENTICATED', 'Invalid or revoked API key');
  const parsed = parseToken(token);
  if (!parsed) throw unauthenticated;
  const key = await findApiKeyByPrefix(db, parsed.prefix);
  if (!key || key.revoked_at !== null || !secretMatches(parsed.secret, key.secret_sha256))
    throw unauthenticated;
  await touchApiKey(db, key.org_id, key.id);
  return { orgId: key.org_id, keyId: key.id, role: key.role };
}
