import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { getCustomer } from '../../db/queries/customers.js';
import { type DocumentMeta, insertDocument } from '../../db/queries/documents.js';
import { getInvoice } from '../../db/queries/invoices.js';
import type { Database, DocumentKind } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export const documentKinds = [
  'invoice',
  'contract',
  'delivery_note',
  'proof_of_delivery',
  'letter',
  'attachment',
  'other',
] as const satisfies readonly DocumentKind[];

/** Evidence a collector attaches: PDFs, scans and photos, office documents. No executables,
 * archives or HTML (which a browser would run when the document is opened). */
export const allowedMimeTypes = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/tiff',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
]);

export interface UploadDocumentInput {
  kind: DocumentKind;
  customerId?: string | undefined;
  invoiceId?: string | undefined;
  filename: string;
  mimeType: string;
  content: Buffer;
}

/** Magic bytes for the types where a wrong declared type is most likely to hide something. */
function sniffMismatch(mime: string, b: Buffer): boolean {
  const starts = (sig: number[]) => sig.every((v, i) => b[i] === v);
  if (mime === 'application/pdf') return !b.subarray(0, 5).equals(Buffer.from('%PDF-'));
  if (mime === 'image/png') return !starts([0x89, 0x50, 0x4e, 0x47]);
  if (mime === 'image/jpeg') return !starts([0xff, 0xd8, 0xff]);
  return false;
}

/**
 * Store a document attached to a customer or an invoice (an invoice's document also
 * belongs to its customer). Content is kept with its SHA-256 and size so evidence sent
 * later (a proof of delivery in a mise en demeure) can be shown unchanged.
 * Runs inside the caller's withOrg transaction.
 */
export async function uploadDocument(
  db: Kysely<Database>,
  orgId: string,
  input: UploadDocumentInput,
): Promise<DocumentMeta> {
  const mime = input.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!allowedMimeTypes.has(mime)) {
    throw new AppError('VALIDATION', 'File type not accepted', [
      { field: 'file', value: mime, reason: 'accepted: PDF, images, text/CSV and office documents' },
    ]);
  }
  if (input.content.length === 0) {
    throw new AppError('VALIDATION', 'Empty file', [{ field: 'file', reason: 'the file is empty' }]);
  }
  if (input.content.length > MAX_DOCUMENT_BYTES) {
    throw new AppError('VALIDATION', 'File too large', [
      {
        field: 'file',
        value: String(input.content.length),
        reason: `larger than ${MAX_DOCUMENT_BYTES} bytes`,
      },
    ]);
  }
  if (sniffMismatch(mime, input.content)) {
    throw new AppError('VALIDATION', 'File content does not match its type', [
      { field: 'file', value: mime, reason: 'the content is not of the declared type' },
    ]);
  }
  if (!input.customerId && !input.invoiceId) {
    throw new AppError('VALIDATION', 'A document belongs to a customer or an invoice', [
      { field: 'customerId', reason: 'give customerId or invoiceId' },
    ]);
  }
  let customerId = input.customerId;
  if (input.invoiceId) {
    const invoice = await getInvoice(db, orgId, input.invoiceId, '1970-01-01');
    if (!invoice) throw notFound('Invoice', input.invoiceId);
    if (customerId && customerId !== invoice.customer_id) {
      throw new AppError('VALIDATION', 'The invoice belongs to another customer', [
        { field: 'customerId', value: customerId, reason: 'not the customer of invoiceId' },
      ]);
    }
    customerId = invoice.customer_id;
  } else if (customerId && !(await getCustomer(db, orgId, customerId))) {
    throw notFound('Customer', customerId);
  }
  // Path separators and control characters would break the Content-Disposition on download.
  const filename =
    [...input.filename]
      .map((ch) => (ch === '/' || ch === '\\' || ch.charCodeAt(0) < 32 ? '_' : ch))
      .join('')
      .slice(0, 255) || 'document';
  return insertDocument(db, {
    org_id: orgId,
    customer_id: customerId ?? null,
    invoice_id: input.invoiceId ?? null,
    kind: input.kind,
    filename,
    mime_type: mime,
    size_bytes: input.content.length,
    sha256: createHash('sha256').update(input.content).digest('hex'),
    content: input.content,
  });
}
