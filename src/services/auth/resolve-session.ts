import type { Kysely } from 'kysely';
import { findLiveSession, type LiveSession, touchSession } from '../../db/queries/users.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { sessionTokenHash } from './session-token.js';

/** The live session behind a cookie token, or UNAUTHENTICATED (same answer for every failure). */
export async function resolveSession(db: Kysely<Database>, token: string, now: Date): Promise<LiveSession> {
  const live =
    token.length > 0 && token.length <= 100
      ? await findLiveSession(db, sessionTokenHash(token), now)
      : undefined;
  if (!live) throw new AppError('UNAUTHENTICATED', 'Session expired or signed out: sign in again');
  await touchSession(db, live.session.org_id, live.session.id, now);
  return live;
}
