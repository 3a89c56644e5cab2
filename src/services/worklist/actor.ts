import type { Kysely } from 'kysely';
import { getCollector } from '../../db/queries/collectors.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** Who did it, as stored in created_by / logged_by and the evidence: a user, an API key, or
 * someone at the command line (which has no login: 'cli', as the other commands record). */
export interface Actor {
  userId?: string | undefined;
  keyId?: string | undefined;
  cli?: boolean;
}

export function actorLabel(a: Actor): string {
  if (a.userId) return `user:${a.userId}`;
  if (a.keyId) return `api-key:${a.keyId}`;
  if (a.cli) return 'cli';
  return 'unknown';
}

/**
 * A collector to assign work to: null unassigns; otherwise a user of this organisation who
 * may write. The error names the field so the form can show it next to the select.
 */
export async function checkCollector(
  db: Kysely<Database>,
  orgId: string,
  collectorId: string | null,
  field: string,
): Promise<string | null> {
  if (collectorId === null) return null;
  const c = await getCollector(db, orgId, collectorId);
  if (!c) {
    throw new AppError('UNPROCESSABLE', `No collector ${collectorId} in this organisation`, [
      { field, value: collectorId, reason: 'not an active user who can be given collection work' },
    ]);
  }
  return c.id;
}
