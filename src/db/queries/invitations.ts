import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, InvitationsTable } from '../schema/index.js';

export type Invitation = Selectable<InvitationsTable>;

export function insertInvitation(
  db: Kysely<Database>,
  row: Insertable<InvitationsTable>,
): Promise<Invitation> {
  return db.insertInto('invitations').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A new invitation replaces the pending ones for the same address: one live link per person. */
export async function revokePendingInvitations(
  db: Kysely<Database>,
  orgId: string,
  email: string,
  now: Date,
): Promise<number> {
  const r = await db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('org_id', '=', orgId)
    .where('email', '=', email)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function revokeInvitation(
  db: Kysely<Database>,
  orgId: string,
  id: string,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export function listPendingInvitations(
  db: Kysely<Database>,
  orgId: string,
  now: Date,
): Promise<Invitation[]> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

/** The invitation behind a token hash if it is still usable (not accepted, revoked or expired). */
export function findUsableInvitation(
  db: Kysely<Database>,
  orgId: string,
  id: string,
  tokenHash: string,
  now: Date,
): Promise<Invitation | undefined> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/**
 * Claim the invitation: one statement checks it is still usable and marks it used, so two
 * concurrent acceptances of the same link cannot both succeed (the second waits on the row
 * lock, then finds accepted_at set).
 */
export function claimInvitation(
  db: Kysely<Database>,
  orgId: string,
  id: string,
  tokenHash: string,
  now: Date,
): Promise<Invitation | undefined> {
  return db
    .updateTable('invitations')
    .set({ accepted_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

export async function recordInvitationUser(
  db: Kysely<Database>,
  orgId: string,
  id: string,
  userId: string,
): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ accepted_user_id: userId })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
}
