import type { Kysely } from 'kysely';
import type { Organisation } from '../../db/queries/organisations.js';
import type { UserSummary } from '../../db/queries/users.js';
import type { Database } from '../../db/schema/index.js';
import { createOrganisation } from '../organisations/create-organisation.js';
import { createUser } from './create-user.js';
import { type NewSession, startSession } from './sign-in.js';

export interface SignUpInput {
  organisationName: string;
  name: string;
  email: string;
  password: string;
}

/** A new organisation and its first admin, signed in: one transaction, so no orphan org. */
export async function signUp(
  db: Kysely<Database>,
  input: SignUpInput,
  now: Date,
): Promise<{ organisation: Organisation; user: UserSummary; session: NewSession }> {
  return db.transaction().execute(async (trx) => {
    const organisation = await createOrganisation(trx, { name: input.organisationName });
    const user = await createUser(trx, organisation.id, {
      email: input.email,
      name: input.name,
      password: input.password,
      role: 'admin',
    });
    const session = await startSession(trx, user, now);
    return { organisation, user, session };
  });
}
