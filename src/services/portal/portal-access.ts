import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { ensurePortalSecret, getPortalLink, getPortalSecret } from '../../db/queries/portal.js';
import type { Database } from '../../db/schema/index.js';
import {
  deriveOrgKey,
  portalLinkUsable,
  portalTokenHash,
  readPortalToken,
  verifyPortalToken,
} from '../../domain/portal/index.js';
import { AppError } from '../../errors.js';

/**
 * One answer for every bad token (malformed, forged, tampered, expired, revoked, unknown
 * organisation): a debtor or an attacker learns nothing about which check failed.
 */
export const PORTAL_LINK_INVALID = 'This link is not valid or has expired. Ask your creditor for a new one.';
export const portalLinkInvalid = () => new AppError('NOT_FOUND', PORTAL_LINK_INVALID);

export interface PortalSecretSource {
  /** config.RELANCE_SECRET; when absent, a random key per organisation is kept in portal_secrets. */
  appSecret?: string | undefined;
}

/**
 * The organisation's signing key. With RELANCE_SECRET the key is derived from it (rotating
 * the secret invalidates every link); without it, a random key is created on first use and
 * stored per organisation, so an installation never signs with a guessable default.
 * `create: false` (verification) never writes: a forged token cannot create rows.
 */
export async function portalSigningKey(
  trx: Kysely<Database>,
  orgId: string,
  source: PortalSecretSource,
  create: boolean,
): Promise<Buffer | null> {
  if (source.appSecret) return deriveOrgKey(source.appSecret, orgId);
  const stored = create
    ? await ensurePortalSecret(trx, orgId, randomBytes(32).toString('hex'))
    : await getPortalSecret(trx, orgId);
  return stored ? Buffer.from(stored, 'hex') : null;
}

export interface PortalAccess {
  orgId: string;
  customerId: string;
  linkId: string;
}

/** Check a token inside the organisation's transaction; throws the one generic error. */
export async function checkPortalToken(
  trx: Kysely<Database>,
  token: string,
  source: PortalSecretSource,
  now: Date,
): Promise<PortalAccess> {
  const claims = readPortalToken(token);
  if (!claims) throw portalLinkInvalid();
  const key = await portalSigningKey(trx, claims.orgId, source, false);
  if (!key || !verifyPortalToken(token, key)) throw portalLinkInvalid();
  const link = await getPortalLink(trx, claims.orgId, claims.linkId);
  if (
    !link ||
    link.token_hash !== portalTokenHash(token) ||
    !portalLinkUsable(
      { expiresAt: new Date(link.expires_at), revokedAt: link.revoked_at ? new Date(link.revoked_at) : null },
      now,
    )
  )
    throw portalLinkInvalid();
  return { orgId: claims.orgId, customerId: link.customer_id, linkId: link.id };
}

/**
 * Run `fn` as the debtor behind `token`: the token names its organisation, so the work runs
 * under that organisation's row-level security, and the check happens in the same
 * transaction as the use case (a link revoked meanwhile cannot slip through).
 */
export async function withPortalAccess<T>(
  db: Kysely<Database>,
  token: string,
  source: PortalSecretSource,
  now: Date,
  fn: (trx: Kysely<Database>, access: PortalAccess) => Promise<T>,
): Promise<T> {
  const claims = readPortalToken(token);
  if (!claims) throw portalLinkInvalid();
  return withOrg(db, claims.orgId, async (trx) => fn(trx, await checkPortalToken(trx, token, source, now)));
}
