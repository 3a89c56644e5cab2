import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { ApiKeysTable, Database } from '../schema/index.js';

export type ApiKey = Selectable<ApiKeysTable>;
export type ApiKeySummary = Omit<ApiKey, 'secret_sha256'>;

const summaryColumns = [
  'org_id',
  'id',
  'name',
  'prefix',
  'role',
  'created_at',
  'last_used_at',
  'revoked_at',
] as const;

export function insertApiKey(db: Kysely<Database>, row: Insertable<ApiKeysTable>): Promise<ApiKeySummary> {
  return db.insertInto('api_keys').values(row).returning(summaryColumns).executeTakeFirstOrThrow();
}

/**
 * Looks a key up by its public prefix before the organisation is known, so it runs on the
 * owner connection (not under withOrg): the prefix is unique across organisations.
 */
export function findApiKeyByPrefix(db: Kysely<Database>, prefix: string): Promise<ApiKey | undefined> {
  return db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
}

export function listApiKeys(db: Kysely<Database>, orgId: string): Promise<ApiKeySummary[]> {
  return db
    .selectFrom('api_keys')
    .select(summaryColumns)
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function revokeApiKey(db: Kysely<Database>, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records use at most once a minute per key, so authentication is not a write per request. */
export async function touchApiKey(db: Kysely<Database>, orgId: string, id: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`),
      ]),
    )
    .execute();
}
