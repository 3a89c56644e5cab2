import type { Kysely, Updateable } from 'kysely';
import type { Database, OrganisationsTable } from '../schema/index.js';
import type { Organisation } from './organisations.js';

/** The organisation row, locked for a read-modify-write of its settings jsonb. */
export function getOrganisationForUpdate(
  db: Kysely<Database>,
  orgId: string,
): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', orgId).forUpdate().executeTakeFirst();
}

export function updateOrganisation(
  db: Kysely<Database>,
  orgId: string,
  patch: Updateable<OrganisationsTable>,
  now: Date,
): Promise<Organisation> {
  // updated_at is Generated<ColumnType>, which Updateable cannot express: widen it here only.
  const row = { ...patch, updated_at: now } as unknown as Updateable<OrganisationsTable>;
  return db
    .updateTable('organisations')
    .set(row)
    .where('id', '=', orgId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
