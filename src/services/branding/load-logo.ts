import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { getLogoContent, type LogoMeta } from '../../db/queries/logos.js';
import type { Database } from '../../db/schema/index.js';

export type Logo = LogoMeta & { content: Buffer };

/** The organisation's logo with its bytes, or null when it has none. */
export async function loadLogo(db: Kysely<Database>, orgId: string): Promise<Logo | null> {
  const row = await withOrg(db, orgId, (trx) => getLogoContent(trx, orgId));
  if (!row) return null;
  return { ...row, content: Buffer.from(row.content) };
}

/** Only the bytes, for the PDF builders' letterhead. */
export async function loadLogoBytes(db: Kysely<Database>, orgId: string): Promise<Buffer | null> {
  return (await loadLogo(db, orgId))?.content ?? null;
}
