import type { Kysely } from 'kysely';
import type { Database, Role } from '../schema/index.js';

/** Who can be given collection work: signed-in users who may write, not disabled. */
export const COLLECTOR_ROLES: readonly Role[] = ['admin', 'collector', 'accountant'];

export interface Collector {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export function listCollectors(db: Kysely<Database>, orgId: string): Promise<Collector[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'role'])
    .where('org_id', '=', orgId)
    .where('disabled_at', 'is', null)
    .where('role', 'in', COLLECTOR_ROLES)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export function getCollector(
  db: Kysely<Database>,
  orgId: string,
  id: string,
): Promise<Collector | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'role'])
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .where('role', 'in', COLLECTOR_ROLES)
    .executeTakeFirst();
}
