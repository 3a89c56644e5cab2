import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Organisation } from '../db/queries/organisations.js';
import type { Database } from '../db/schema/index.js';
import { resolveOrganisation } from '../services/organisations/resolve-organisation.js';

/** Every command that acts on an organisation takes the same option. */
export function withOrgOption(cmd: Command): Command {
  return cmd.option('--org <slug>', 'organisation to act on (default: the only one there is)');
}

export function commandOrganisation(db: Kysely<Database>, opts: { org?: string }): Promise<Organisation> {
  return resolveOrganisation(db, opts.org);
}
