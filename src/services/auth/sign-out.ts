import type { Kysely } from 'kysely';
import { revokeSession, revokeUserSessions } from '../../db/queries/users.js';
import type { Database } from '../../db/schema/index.js';

export function signOut(db: Kysely<Database>, orgId: string, sessionId: string, now: Date): Promise<void> {
  return revokeSession(db, orgId, sessionId, now);
}

/** Revokes every session of the user, this one included: for a lost laptop or a leaked cookie. */
export function signOutEverywhere(
  db: Kysely<Database>,
  orgId: string,
  userId: string,
  now: Date,
): Promise<number> {
  return revokeUserSessions(db, orgId, userId, now);
}
