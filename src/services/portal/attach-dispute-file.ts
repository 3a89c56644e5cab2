import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { uploadDocument } from '../documents/upload-document.js';
import { type PortalAccess, portalLinkInvalid } from './portal-access.js';

/** Stricter than the collector's uploads: a debtor sends a PDF or a photo, nothing else. */
export const PORTAL_ATTACHMENT_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg']);
export const PORTAL_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

export interface AttachDisputeFileResult {
  documentId: string;
  sha256: string;
  sizeBytes: number;
}

/**
 * Attach the debtor's supporting file (a delivery note, a photo of damaged goods) to one of
 * their open disputes. The file is stored with its SHA-256 and the hash goes into the
 * evidence entry, so the timeline proves which bytes the debtor sent.
 */
export async function attachDisputeFile(
  trx: Kysely<Database>,
  access: PortalAccess,
  disputeId: string,
  file: { filename: string; mimeType: string; content: Buffer },
  now: Date,
): Promise<AttachDisputeFileResult> {
  const { orgId, customerId } = access;
  const mime = file.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!PORTAL_ATTACHMENT_TYPES.has(mime)) {
    throw new AppError('VALIDATION', 'File type not accepted', [
      { field: 'file', value: mime, reason: 'accepted: PDF, PNG or JPEG' },
    ]);
  }
  if (file.content.length > PORTAL_MAX_ATTACHMENT_BYTES) {
    throw new AppError('VALIDATION', 'File too large', [
      {
        field: 'file',
        value: String(file.content.length),
        reason: `larger than ${PORTAL_MAX_ATTACHMENT_BYTES} bytes`,
      },
    ]);
  }
  const dispute = await trx
    .selectFrom('disputes')
    .select(['id', 'invoice_id', 'status'])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('id', '=', disputeId)
    .executeTakeFirst();
  // Another customer's dispute gets the same answer as a bad link.
  if (!dispute) throw portalLinkInvalid();
  if (dispute.status !== 'open') {
    throw new AppError('CONFLICT', 'The dispute is closed', [
      { field: 'disputeId', value: disputeId, reason: `the dispute is ${dispute.status}` },
    ]);
  }
  const doc = await uploadDocument(trx, orgId, {
    kind: 'attachment',
    customerId,
    invoiceId: dispute.invoice_id,
    filename: file.filename,
    mimeType: mime,
    content: file.content,
  });
  await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind: 'dispute',
    channel: 'portal',
    summary: 'dispute file attached by the debtor',
    payload: {
      disputeId,
      invoiceId: dispute.invoice_id,
      documentId: doc.id,
      filename: doc.filename,
      mimeType: mime,
      sizeBytes: file.content.length,
      linkId: access.linkId,
    },
    contentSha256: doc.sha256,
    at: now,
  });
  return { documentId: doc.id, sha256: doc.sha256, sizeBytes: file.content.length };
}
