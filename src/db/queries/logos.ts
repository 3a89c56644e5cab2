import type { Kysely } from 'kysely';
import type { Database, OrganisationLogosTable, Timestamp } from '../schema/index.js';

export type LogoMeta = Pick<
  OrganisationLogosTable,
  'media_type' | 'width' | 'height' | 'size_bytes' | 'sha256'
> & { uploaded_at: Timestamp };

const metaColumns = ['media_type', 'width', 'height', 'size_bytes', 'sha256', 'uploaded_at'] as const;

export function getLogoMeta(db: Kysely<Database>, orgId: string): Promise<LogoMeta | undefined> {
  return db
    .selectFrom('organisation_logos')
    .select(metaColumns)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}

export function getLogoContent(
  db: Kysely<Database>,
  orgId: string,
): Promise<(LogoMeta & { content: Uint8Array }) | undefined> {
  return db
    .selectFrom('organisation_logos')
    .select([...metaColumns, 'content'])
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}

/** One logo per organisation: a new upload replaces the old one. */
export function upsertLogo(
  db: Kysely<Database>,
  row: Omit<OrganisationLogosTable, 'uploaded_at'>,
): Promise<LogoMeta> {
  return db
    .insertInto('organisation_logos')
    .values(row)
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet((eb) => ({
        media_type: eb.ref('excluded.media_type'),
        width: eb.ref('excluded.width'),
        height: eb.ref('excluded.height'),
        size_bytes: eb.ref('excluded.size_bytes'),
        sha256: eb.ref('excluded.sha256'),
        content: eb.ref('excluded.content'),
        uploaded_at: eb.fn('now'),
      })),
    )
    .returning(metaColumns)
    .executeTakeFirstOrThrow();
}

export async function deleteLogo(db: Kysely<Database>, orgId: string): Promise<boolean> {
  const r = await db.deleteFrom('organisation_logos').where('org_id', '=', orgId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
