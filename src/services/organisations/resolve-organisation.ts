import type { Kysely } from 'kysely';
import {
  findOrganisationBySlug,
  listOrganisations,
  type Organisation,
} from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/**
 * The organisation a CLI command acts on: the one named by --org, or the only one there
 * is. With several and none named, refuse and list them rather than guess.
 */
export async function resolveOrganisation(db: Kysely<Database>, slug?: string): Promise<Organisation> {
  if (slug) {
    const org = await findOrganisationBySlug(db, slug);
    if (!org) {
      const all = await listOrganisations(db);
      throw new AppError(
        'NOT_FOUND',
        `No organisation "${slug}". Known: ${all.map((o) => o.slug).join(', ') || '(none)'}`,
      );
    }
    return org;
  }
  const all = await listOrganisations(db);
  if (all.length === 1 && all[0]) return all[0];
  if (all.length === 0) {
    throw new AppError('NOT_FOUND', 'No organisation yet: create one with `relance org create --name "…"`');
  }
  throw new AppError(
    'ORG_AMBIGUOUS',
    `There are ${all.length} organisations (${all.map((o) => o.slug).join(', ')}): choose one with --org SLUG`,
  );
}
