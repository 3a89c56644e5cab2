import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type DocumentMeta,
  getDocumentContent,
  getDocumentMeta,
  listDocuments,
} from '../../db/queries/documents.js';
import { AppError, notFound } from '../../errors.js';
import {
  documentKinds,
  MAX_DOCUMENT_BYTES,
  uploadDocument,
} from '../../services/documents/upload-document.js';
import { type ApiDeps, inOrg } from '../context.js';
import { readUpload } from '../multipart.js';
import { documentWriteRoles, readRoles, requireRole } from '../plugins/auth.js';
import {
  idParam,
  iso,
  pageOf,
  pageQuery,
  problemResponse,
  problemResponses,
  sortQuery,
} from '../schemas/common.js';

export const documentSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(documentKinds),
    customerId: z.uuid().nullable(),
    invoiceId: z.uuid().nullable(),
    filename: z.string(),
    mimeType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string().length(64),
    createdAt: z.string(),
  })
  .meta({ id: 'Document' });

export function toDocument(d: DocumentMeta): z.infer<typeof documentSchema> {
  return {
    id: d.id,
    kind: d.kind,
    customerId: d.customer_id,
    invoiceId: d.invoice_id,
    filename: d.filename,
    mimeType: d.mime_type,
    sizeBytes: d.size_bytes,
    sha256: d.sha256,
    createdAt: iso(d.created_at),
  };
}

const listQuerySchema = z.object({
  customerId: z.uuid().optional(),
  invoiceId: z.uuid().optional(),
  kind: z.enum(documentKinds).optional(),
  sort: sortQuery(['createdAt', 'filename'], '-createdAt'),
  ...pageQuery,
});

const uploadFields = z.object({
  kind: z.enum(documentKinds),
  customerId: z.uuid().optional(),
  invoiceId: z.uuid().optional(),
});

/** RFC 6266 filename: an ASCII fallback plus the exact UTF-8 name. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const documentRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'List document metadata',
        querystring: listQuerySchema,
        response: { 200: pageOf(documentSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { sort, limit, cursor, ...filters } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const page = await listDocuments(trx, auth.orgId, filters, {
          sort: sort.field,
          direction: sort.direction,
          limit,
          cursor,
        });
        return { items: page.items.map(toDocument), nextCursor: page.nextCursor };
      });
    },
  );

  app.get(
    '/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary: 'Document metadata',
        params: idParam,
        response: { 200: documentSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const d = await getDocumentMeta(trx, auth.orgId, request.params.id);
        if (!d) throw notFound('Document', request.params.id);
        return toDocument(d);
      }),
  );

  app.get(
    '/documents/:id/content',
    {
      schema: {
        tags: ['documents'],
        summary: 'Download the document as stored (the ETag is its SHA-256)',
        params: idParam,
      },
    },
    async (request, reply) => {
      const d = await inOrg(deps, request, readRoles, (trx, auth) =>
        getDocumentContent(trx, auth.orgId, request.params.id),
      );
      if (!d) throw notFound('Document', request.params.id);
      return reply
        .type(d.mime_type)
        .header('content-disposition', contentDisposition(d.filename))
        .header('etag', `"${d.sha256}"`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(d.content));
    },
  );

  app.post(
    '/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Upload a document (multipart/form-data: kind, customerId or invoiceId, file; 20 MB max)',
        consumes: ['multipart/form-data'],
        response: {
          201: documentSchema,
          413: problemResponse('File larger than 20 MB'),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      // Refuse before reading 20 MB from a caller that may not write.
      requireRole(request, documentWriteRoles);
      const upload = await readUpload(request, MAX_DOCUMENT_BYTES);
      const fields = uploadFields.safeParse(upload.fields);
      if (!fields.success) {
        throw new AppError(
          'VALIDATION',
          'Invalid document fields',
          fields.error.issues.map((i) => ({
            field: i.path.join('.') || 'body',
            reason: i.message,
            ...(i.path[0] !== undefined && upload.fields[String(i.path[0])] !== undefined
              ? { value: upload.fields[String(i.path[0])] }
              : {}),
          })),
        );
      }
      const file = upload.file;
      if (!file)
        throw new AppError('VALIDATION', 'No file', [{ field: 'file', reason: 'a file part is required' }]);
      const doc = await inOrg(deps, request, documentWriteRoles, (trx, a) =>
        uploadDocument(trx, a.orgId, {
          ...fields.data,
          filename: file.filename,
          mimeType: file.mimetype,
          content: file.content,
        }),
      );
      return reply.status(201).send(toDocument(doc));
    },
  );
};
