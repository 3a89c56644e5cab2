import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable, UsersTable } from '../schema/index.js';

export type User = Selectable<UsersTable>;
export type UserSummary = Omit<User, 'password_hash'>;
export type Session = Selectable<SessionsTable>;

const summaryColumns = ['org_id', 'id', 'email', 'name', 'role', 'created_at', 'disabled_at'] as const;

export function insertUser(db: Kysely<Database>, row: Insertable<UsersTable>): Promise<UserSummary> {
  return db.insertInto('users').values(row).returning(summaryColumns).executeTakeFirstOrThrow();
}

/** Sign-in looks the user up before the organisation is known: owner connection, global email. */
export function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function getUser(db: Kysely<Database>, orgId: string, id: string): Promise<UserSummary | undefined> {
  return db
    .selectFrom('users')
    .select(summaryColumns)
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function insertSession(db: Kysely<Database>, row: Insertable<SessionsTable>): Promise<Session> {
  return db.insertInto('sessions').values(row).returningAll().executeTakeFirstOrThrow();
}

export interface LiveSession {
  session: Session;
  user: UserSummary;
}

/**
 * The session behind a cookie, with its user, if it is neither revoked nor expired and the
 * user is not disabled. Runs before the organisation is known (token_hash is unique).
 */
export async function findLiveSession(
  db: Kysely<Database>,
  tokenHash: string,
  now: Date,
): Promise<LiveSession | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', (j) => j.onRef('u.org_id', '=', 's.org_id').onRef('u.id', '=', 's.user_id'))
    .selectAll('s')
    .select([
      'u.email as u_email',
      'u.name as u_name',
      'u.role as u_role',
      'u.created_at as u_created_at',
      'u.disabled_at as u_disabled_at',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const { u_email, u_name, u_role, u_created_at, u_disabled_at, ...session } = row;
  return {
    session,
    user: {
      org_id: session.org_id,
      id: session.user_id,
      email: u_email,
      name: u_name,
      role: u_role,
      created_at: u_created_at,
      disabled_at: u_disabled_at,
    },
  };
}

/** Marks activity at most once a minute, so reading pages does not write on every request. */
export async function touchSession(
  db: Kysely<Database>,
  orgId: string,
  id: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('last_seen_at', '<', new Date(now.getTime() - 60_000))
    .execute();
}

export async function revokeSession(
  db: Kysely<Database>,
  orgId: string,
  id: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeUserSessions(
  db: Kysely<Database>,
  orgId: string,
  userId: string,
  now: Date,
): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
