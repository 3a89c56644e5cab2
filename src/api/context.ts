import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { type DbHandle, withOrg } from '../db/connection.js';
import { getOrganisation } from '../db/queries/organisations.js';
import type { Database, Role } from '../db/schema/index.js';
import { zonedParts } from '../domain/calendar/index.js';
import { notFound } from '../errors.js';
import { type AuthContext, requireRole } from './plugins/auth.js';

/** What route plugins receive. `now` is the clock, passed in so tests can fix "today". */
export interface ApiDeps {
  handle: DbHandle;
  config: Config;
  now: () => Date;
}

/**
 * Run `fn` for the caller's organisation inside withOrg: the queries filter on org_id and
 * PostgreSQL's row-level security holds even if one forgets.
 */
export function inOrg<T>(
  deps: ApiDeps,
  request: FastifyRequest,
  roles: readonly Role[],
  fn: (trx: Kysely<Database>, auth: AuthContext) => Promise<T>,
): Promise<T> {
  const auth = requireRole(request, roles);
  return withOrg(deps.handle.db, auth.orgId, (trx) => fn(trx, auth));
}

/** The business date "today" in the organisation's time zone (overdue is judged on it). */
export async function orgToday(trx: Kysely<Database>, orgId: string, now: Date): Promise<string> {
  const org = await getOrganisation(trx, orgId);
  if (!org) throw notFound('Organisation', orgId);
  return zonedParts(now, org.time_zone).date;
}
