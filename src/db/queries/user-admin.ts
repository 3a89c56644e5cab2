import type { Kysely } from 'kysely';
import type { Database, Role } from '../schema/index.js';
import type { UserSummary } from './users.js';

const summaryColumns = ['org_id', 'id', 'email', 'name', 'role', 'created_at', 'disabled_at'] as const;

export function listUsers(db: Kysely<Database>, orgId: string): Promise<UserSummary[]> {
  return db
    .selectFrom('users')
    .select(summaryColumns)
    .where('org_id', '=', orgId)
    .orderBy('disabled_at', (o) => o.nullsFirst())
    .orderBy('email')
    .execute();
}

/** The user, locked, with the number of other active admins (locked too, so two admins
 * demoting each other at once cannot leave the organisation without one). */
export async function lockUserForChange(
  db: Kysely<Database>,
  orgId: string,
  userId: string,
): Promise<{ user: UserSummary; otherActiveAdmins: number } | undefined> {
  const admins = await db
    .selectFrom('users')
    .select(['id'])
    .where('org_id', '=', orgId)
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute();
  const user = await db
    .selectFrom('users')
    .select(summaryColumns)
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user) return undefined;
  return { user, otherActiveAdmins: admins.filter((a) => a.id !== userId).length };
}

export function setUserRole(
  db: Kysely<Database>,
  orgId: string,
  userId: string,
  role: Role,
): Promise<UserSummary> {
  return db
    .updateTable('users')
    .set({ role })
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .returning(summaryColumns)
    .executeTakeFirstOrThrow();
}

export function setUserDisabled(
  db: Kysely<Database>,
  orgId: string,
  userId: string,
  disabledAt: Date | null,
): Promise<UserSummary> {
  return db
    .updateTable('users')
    .set({ disabled_at: disabledAt })
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .returning(summaryColumns)
    .executeTakeFirstOrThrow();
}
