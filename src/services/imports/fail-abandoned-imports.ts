import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { failAbandonedImportBatches } from '../../db/queries/imports.js';
import { listOrganisations } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';

/** On PostgreSQL, a running batch with no chunk committed for this long has lost its process. */
export const ABANDONED_IMPORT_AFTER_MS = 15 * 60 * 1000;

/**
 * Run at every start (server, worker, CLI): accept-valid imports whose process died are
 * marked failed, saying how many rows landed (decision 025). On the embedded engine the
 * data-directory lock means no other process can be importing, so every running batch is
 * abandoned; on PostgreSQL only those silent for ABANDONED_IMPORT_AFTER_MS.
 */
export async function failAbandonedImports(
  db: Kysely<Database>,
  opts: { embedded: boolean; now?: Date },
): Promise<{ orgId: string; batchId: string; created: number; updated: number }[]> {
  const out: { orgId: string; batchId: string; created: number; updated: number }[] = [];
  for (const org of await listOrganisations(db)) {
    const failed = await withOrg(db, org.id, (trx) =>
      failAbandonedImportBatches(trx, org.id, opts.embedded ? 0 : ABANDONED_IMPORT_AFTER_MS, opts.now),
    );
    for (const b of failed)
      out.push({ orgId: org.id, batchId: b.id, created: b.rows_created, updated: b.rows_updated });
  }
  return out;
}
