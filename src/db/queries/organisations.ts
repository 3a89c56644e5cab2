import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, OrganisationsTable } from '../schema/index.js';

export type Organisation = Selectable<OrganisationsTable>;

export function listOrganisations(db: Kysely<Database>): Promise<Organisation[]> {
  return db.selectFrom('organisations').selectAll().orderBy('created_at').execute();
}

export function findOrganisationBySlug(
  db: Kysely<Database>,
  slug: string,
): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function getOrganisation(db: Kysely<Database>, orgId: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', orgId).executeTakeFirst();
}

export function insertOrganisation(
  db: Kysely<Database>,
  row: Insertable<OrganisationsTable>,
): Promise<Organisation> {
  return db.insertInto('organisations').values(row).returningAll().executeTakeFirstOrThrow();
}
