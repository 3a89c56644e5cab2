import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { parseMapping } from '../../ingest/mapping.js';
import { previewImport } from '../../services/imports/preview-import.js';
import type { ApiDeps } from '../context.js';
import { readUpload } from '../multipart.js';
import { ledgerWriteRoles, requireRole } from '../plugins/auth.js';
import { problemResponse, problemResponses } from '../schemas/common.js';
import { MAX_IMPORT_BYTES } from './imports.js';

const entities = ['customers', 'invoices', 'payments', 'credit-notes'] as const;

const rowErrorSchema = z.object({
  line: z.number().int(),
  column: z.string().optional(),
  field: z.string().optional(),
  value: z.string().optional(),
  reason: z.string(),
});

const previewSchema = z
  .object({
    entity: z.enum(entities),
    detected: z.object({
      format: z.enum(['csv', 'xlsx']),
      encoding: z.string().optional(),
      delimiter: z.string().optional(),
      sheet: z.string().optional(),
    }),
    headers: z.array(z.string()),
    columns: z.record(z.string(), z.string().nullable()),
    fields: z.array(z.object({ name: z.string(), required: z.boolean() })),
    mappingProblems: z.array(
      z.object({
        line: z.number().optional(),
        column: z.string().optional(),
        field: z.string().optional(),
        reason: z.string(),
      }),
    ),
    sample: z.array(z.object({ line: z.number().int(), cells: z.record(z.string(), z.string()) })),
    rowsRead: z.number().int(),
    rowsWithErrors: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    customersCreated: z.number().int(),
    errors: z.array(rowErrorSchema),
    errorsOmitted: z.number().int(),
  })
  .meta({ id: 'ImportPreview' });

export const importPreviewRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.post(
    '/imports/:entity/preview',
    {
      schema: {
        tags: ['imports'],
        summary:
          'What importing a file would do, without keeping anything (multipart field "file", optional "mapping")',
        description:
          'Detected columns, the first rows, every row error and the counts of rows that would be created, updated or left unchanged, from the real import run in a transaction that is rolled back. Confirm with POST /imports/{entity} and the same file and mapping.',
        consumes: ['multipart/form-data'],
        params: z.object({ entity: z.enum(entities) }),
        response: {
          200: previewSchema,
          413: problemResponse('File larger than the API limit: use relance import'),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = requireRole(request, ledgerWriteRoles);
      const upload = await readUpload(request, MAX_IMPORT_BYTES);
      const file = upload.file;
      if (!file)
        throw new AppError('VALIDATION', 'No file', [{ field: 'file', reason: 'a file part is required' }]);
      const raw = upload.fields.mapping;
      const mapping = raw && raw.trim() !== '' ? parseMapping(raw) : undefined;
      return previewImport(deps.handle.db, auth.orgId, {
        entity: request.params.entity,
        input: file.content,
        filename: file.filename,
        ...(mapping ? { mapping } : {}),
        ...(upload.fields.dateFormat ? { dateFormat: upload.fields.dateFormat } : {}),
        ...(upload.fields.decimalSeparator ? { decimalSeparator: upload.fields.decimalSeparator } : {}),
      });
    },
  );
};
