import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { claimInvitation, findUsableInvitation, recordInvitationUser } from '../../db/queries/invitations.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import { findUserByEmail } from '../../db/queries/users.js';
import type { Database, Role } from '../../db/schema/index.js';
import { readPortalToken } from '../../domain/portal/token.js';
import { AppError } from '../../errors.js';
import { createUser } from '../auth/create-user.js';
import { type NewSession, startSession } from '../auth/sign-in.js';
import type { PortalSecretSource } from '../portal/portal-access.js';
import { invitationTokenHash, verifyInvitationToken } from './invitation-token.js';

/** One answer for every unusable link (forged, tampered, expired, revoked, already used). */
export const INVITATION_INVALID =
  'This invitation is not valid, has expired or was already used. Ask for a new one.';
const invalid = () => new AppError('NOT_FOUND', INVITATION_INVALID);

export interface InvitationInfo {
  organisationName: string;
  email: string;
  role: Role;
  expiresAt: Date;
}

/** What the invitee sees before choosing a name and password. */
export async function describeInvitation(
  db: Kysely<Database>,
  token: string,
  secret: PortalSecretSource,
  now: Date,
): Promise<InvitationInfo> {
  const claims = readPortalToken(token);
  if (!claims) throw invalid();
  return withOrg(db, claims.orgId, async (trx) => {
    const ids = await verifyInvitationToken(trx, token, secret);
    if (!ids) throw invalid();
    const inv = await findUsableInvitation(trx, ids.orgId, ids.invitationId, invitationTokenHash(token), now);
    const org = inv ? await getOrganisation(trx, ids.orgId) : undefined;
    if (!inv || !org) throw invalid();
    return {
      organisationName: org.legal_name,
      email: inv.email,
      role: inv.role,
      expiresAt: new Date(inv.expires_at),
    };
  });
}

/**
 * The invitee joins: the invitation is claimed (single use), the user created with the
 * invited email and role, and a session started, in one transaction, so a refused password
 * leaves the link usable and a used link can never create a second account.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  input: { token: string; name: string; password: string },
  secret: PortalSecretSource,
  now: Date,
): Promise<NewSession> {
  const info = await describeInvitation(db, input.token, secret, now);
  if (await findUserByEmail(db, info.email)) {
    throw new AppError('CONFLICT', 'A user with this email already exists: sign in instead', [
      { field: 'email', reason: 'already registered', code: 'email_taken' },
    ]);
  }
  const claims = readPortalToken(input.token);
  if (!claims) throw invalid();
  return withOrg(db, claims.orgId, async (trx) => {
    const inv = await claimInvitation(
      trx,
      claims.orgId,
      claims.linkId,
      invitationTokenHash(input.token),
      now,
    );
    if (!inv) throw invalid();
    const user = await createUser(trx, inv.org_id, {
      email: inv.email,
      name: input.name,
      password: input.password,
      role: inv.role,
    });
    await recordInvitationUser(trx, inv.org_id, inv.id, user.id);
    return startSession(trx, user, now);
  });
}
