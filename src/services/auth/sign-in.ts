import type { Kysely } from 'kysely';
import { findUserByEmail, insertSession, type UserSummary } from '../../db/queries/users.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { dummyHash, verifyPassword } from './password.js';
import { csrfTokenFor, newSessionToken, SESSION_DAYS } from './session-token.js';

export interface NewSession {
  /** The cookie value; returned once, never stored. */
  token: string;
  csrfToken: string;
  sessionId: string;
  expiresAt: Date;
  user: UserSummary;
}

export async function startSession(db: Kysely<Database>, user: UserSummary, now: Date): Promise<NewSession> {
  const { token, tokenHash } = newSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  const s = await insertSession(db, {
    org_id: user.org_id,
    user_id: user.id,
    token_hash: tokenHash,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    revoked_at: null,
  });
  return { token, csrfToken: csrfTokenFor(token), sessionId: s.id, expiresAt, user };
}

/**
 * Email and password to a new session. Unknown email, wrong password and disabled user
 * give the same answer after the same work, so the reply does not reveal who has an account.
 */
export async function signIn(
  db: Kysely<Database>,
  input: { email: string; password: string },
  now: Date,
): Promise<NewSession> {
  const user = await findUserByEmail(db, input.email.trim());
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash()));
  if (!user || !ok || user.disabled_at !== null) {
    throw new AppError('UNAUTHENTICATED', 'Wrong email or password');
  }
  const { password_hash: _, ...summary } = user;
  return startSession(db, summary, now);
}
