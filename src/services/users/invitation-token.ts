import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import {
  portalTokenHash,
  readPortalToken,
  signPortalToken,
  verifyPortalToken,
} from '../../domain/portal/token.js';
import { type PortalSecretSource, portalSigningKey } from '../portal/portal-access.js';

/**
 * An invitation link's token: the organisation and invitation ids, HMAC-signed with a key
 * derived from the organisation's signing key for this one purpose, so a debtor's portal
 * token can never pass as an invitation (or the reverse). The signature is checked before
 * the database is asked anything beyond the key; the row then decides expiry and single use.
 */
const PURPOSE = 'relance-invitation-v1';

function invitationKey(orgKey: Buffer): Buffer {
  return createHmac('sha256', orgKey).update(PURPOSE, 'utf8').digest();
}

export async function signInvitationToken(
  trx: Kysely<Database>,
  orgId: string,
  invitationId: string,
  source: PortalSecretSource,
): Promise<string> {
  const key = await portalSigningKey(trx, orgId, source, true);
  if (!key) throw new Error('no signing key');
  return signPortalToken({ orgId, linkId: invitationId }, invitationKey(key));
}

/** The ids a token carries if its signature is right; null for anything forged or malformed. */
export async function verifyInvitationToken(
  db: Kysely<Database>,
  token: string,
  source: PortalSecretSource,
): Promise<{ orgId: string; invitationId: string } | null> {
  const claims = readPortalToken(token);
  if (!claims) return null;
  const key = await portalSigningKey(db, claims.orgId, source, false);
  if (!key || !verifyPortalToken(token, invitationKey(key))) return null;
  return { orgId: claims.orgId, invitationId: claims.linkId };
}

export const invitationTokenHash = portalTokenHash;
