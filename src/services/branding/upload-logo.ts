import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { type LogoMeta, upsertLogo } from '../../db/queries/logos.js';
import type { Database } from '../../db/schema/index.js';
import { inspectLogo } from '../../domain/branding/logo-image.js';
import { AppError } from '../../errors.js';

/**
 * Store the organisation's logo, replacing the previous one. What counts is what the bytes
 * are (see inspectLogo), never the file name or the type the browser declared.
 */
export async function uploadLogo(db: Kysely<Database>, orgId: string, content: Buffer): Promise<LogoMeta> {
  const verdict = inspectLogo(content);
  if (!verdict.ok) {
    throw new AppError('VALIDATION', `Logo refused: ${verdict.reason}`, [
      { field: 'file', reason: verdict.reason },
    ]);
  }
  return withOrg(db, orgId, (trx) =>
    upsertLogo(trx, {
      org_id: orgId,
      media_type: verdict.mediaType,
      width: verdict.width,
      height: verdict.height,
      size_bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
    }),
  );
}
