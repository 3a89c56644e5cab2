import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { deleteLogo } from '../../db/queries/logos.js';
import type { Database } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';

/** Remove the organisation's logo: documents printed from now on have none. */
export async function removeLogo(db: Kysely<Database>, orgId: string): Promise<void> {
  const removed = await withOrg(db, orgId, (trx) => deleteLogo(trx, orgId));
  if (!removed) throw notFound('logo', orgId);
}
