import type { Kysely } from 'kysely';
import { findUserByEmail } from '../../db/queries/users.js';
import type { Database } from '../../db/schema/index.js';
import { createUser } from './create-user.js';

export const DEMO_EMAIL = 'demo@relance.local';
export const DEMO_PASSWORD = 'relance-demo';

/** The quick start's demo admin; idempotent, so every start can call it. */
export async function ensureDemoUser(
  db: Kysely<Database>,
  orgId: string,
): Promise<{ email: string; password: string; created: boolean }> {
  const existing = await findUserByEmail(db, DEMO_EMAIL);
  if (!existing) {
    await createUser(db, orgId, { email: DEMO_EMAIL, name: 'Démo', password: DEMO_PASSWORD, role: 'admin' });
  }
  return { email: DEMO_EMAIL, password: DEMO_PASSWORD, created: !existing };
}
