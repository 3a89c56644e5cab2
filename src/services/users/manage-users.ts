import type { Kysely } from 'kysely';
import { type Invitation, listPendingInvitations, revokeInvitation } from '../../db/queries/invitations.js';
import { listUsers, lockUserForChange, setUserDisabled, setUserRole } from '../../db/queries/user-admin.js';
import { revokeUserSessions, type UserSummary } from '../../db/queries/users.js';
import type { Database, Role } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';

/**
 * User administration inside one organisation (callers run these in withOrg and check the
 * admin role). Rules kept here: an organisation always keeps one active admin, so nobody
 * can lock everyone out by demoting or deactivating the last one.
 */
export async function listUsersAndInvitations(
  trx: Kysely<Database>,
  orgId: string,
  now: Date,
): Promise<{ users: UserSummary[]; invitations: Invitation[] }> {
  return { users: await listUsers(trx, orgId), invitations: await listPendingInvitations(trx, orgId, now) };
}

const lastAdmin = () =>
  new AppError('CONFLICT', 'The organisation needs at least one active admin', [
    { field: 'role', reason: 'this is the last active admin', code: 'last_admin' },
  ]);

export async function changeUserRole(
  trx: Kysely<Database>,
  orgId: string,
  userId: string,
  role: Role,
): Promise<UserSummary> {
  const found = await lockUserForChange(trx, orgId, userId);
  if (!found) throw notFound('User', userId);
  const { user, otherActiveAdmins } = found;
  if (user.role === 'admin' && role !== 'admin' && user.disabled_at === null && otherActiveAdmins === 0) {
    throw lastAdmin();
  }
  // Sessions read the role from the user row on every request: the change applies at once.
  return user.role === role ? user : setUserRole(trx, orgId, userId, role);
}

/** Deactivate a user and end every session they have: a stolen cookie dies with the account. */
export async function deactivateUser(
  trx: Kysely<Database>,
  orgId: string,
  userId: string,
  now: Date,
): Promise<{ user: UserSummary; sessionsRevoked: number }> {
  const found = await lockUserForChange(trx, orgId, userId);
  if (!found) throw notFound('User', userId);
  const { user, otherActiveAdmins } = found;
  if (user.role === 'admin' && user.disabled_at === null && otherActiveAdmins === 0) throw lastAdmin();
  const updated = user.disabled_at === null ? await setUserDisabled(trx, orgId, userId, now) : user;
  const sessionsRevoked = await revokeUserSessions(trx, orgId, userId, now);
  return { user: updated, sessionsRevoked };
}

export async function reactivateUser(
  trx: Kysely<Database>,
  orgId: string,
  userId: string,
): Promise<UserSummary> {
  const found = await lockUserForChange(trx, orgId, userId);
  if (!found) throw notFound('User', userId);
  return found.user.disabled_at === null ? found.user : setUserDisabled(trx, orgId, userId, null);
}

export async function cancelInvitation(
  trx: Kysely<Database>,
  orgId: string,
  invitationId: string,
  now: Date,
): Promise<void> {
  if (!(await revokeInvitation(trx, orgId, invitationId, now))) throw notFound('Invitation', invitationId);
}
