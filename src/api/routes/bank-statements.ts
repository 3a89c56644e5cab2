import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listBankLines } from '../../db/queries/bank-statements.js';
import { AppError } from '../../errors.js';
import { confirmBankLine } from '../../services/bank/confirm-bank-line.js';
import { importBankStatement, MAX_BANK_STATEMENT_BYTES } from '../../services/bank/import-bank-statement.js';
import { setAsideBankLine } from '../../services/bank/set-aside-bank-line.js';
import { type ApiDeps, inOrg } from '../context.js';
import { readUpload } from '../multipart.js';
import { ledgerWriteRoles, readRoles, requireRole } from '../plugins/auth.js';
import {
  amountMinorInput,
  idParam,
  iso,
  isoDate,
  problemResponse,
  problemResponses,
} from '../schemas/common.js';

const importLine = z.object({
  lineId: z.string(),
  bookingDate: isoDate,
  amountMinor: z.number().int().describe('Credits positive, debits negative'),
  currency: z.string(),
  counterparty: z.string().nullable(),
  status: z.enum(['matched', 'unmatched', 'ignored', 'return', 'already_imported']),
  reasons: z.array(z.string()),
  paymentId: z.uuid().nullable(),
  customerId: z.uuid().nullable(),
  allocations: z.array(
    z.object({ invoiceId: z.uuid(), invoiceNumber: z.string(), amountMinor: z.number().int() }),
  ),
});

const importResult = z
  .object({
    messageType: z.string(),
    messageId: z.string(),
    matched: z.number().int(),
    unmatched: z.number().int(),
    ignored: z.number().int(),
    alreadyImported: z.number().int(),
    recorded: z.array(z.object({ currency: z.string(), amountMinor: z.number().int() })),
    lines: z.array(importLine),
  })
  .meta({ id: 'BankStatementImport' });

const storedLine = z
  .object({
    id: z.uuid(),
    bookingDate: isoDate,
    amountMinor: z.number().int(),
    currency: z.string(),
    counterparty: z.string().nullable(),
    counterpartyIban: z.string().nullable(),
    remittance: z.string().nullable(),
    endToEndId: z.string().nullable(),
    status: z.enum(['matched', 'unmatched', 'ignored', 'returned', 'return', 'not_customer']),
    confidence: z.number().int().nullable(),
    explanation: z.record(z.string(), z.unknown()).nullable(),
    customerId: z.uuid().nullable(),
    paymentId: z.uuid().nullable(),
    reasons: z.array(z.string()),
    suggestion: z.record(z.string(), z.unknown()).nullable(),
    filename: z.string().nullable(),
    importedAt: z.string(),
  })
  .meta({ id: 'BankStatementLine' });

/** Bank statements: import a camt.053 file, review the lines left unmatched. */
export const bankStatementRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.post(
    '/bank-statements',
    {
      schema: {
        tags: ['payments'],
        summary: 'Import a camt.053/054 statement (multipart, field "file"): match lines and record payments',
        description:
          'Lines matched with confidence (RF reference issued by the portal, invoice number, amount and payer) become payments; the others stay in GET /bank-statement-lines?status=unmatched. Importing the same statement twice records nothing new.',
        response: {
          200: importResult,
          413: problemResponse('The file is larger than 20 MB'),
          422: problemResponse('Not a readable camt message'),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = requireRole(request, ledgerWriteRoles);
      const upload = await readUpload(request, MAX_BANK_STATEMENT_BYTES);
      if (!upload.file)
        throw new AppError('VALIDATION', 'No file in the request', [
          { field: 'file', reason: 'send one file part named "file"' },
        ]);
      return importBankStatement(
        deps.handle.db,
        auth.orgId,
        { content: upload.file.content, filename: upload.file.filename },
        { now: deps.now(), actor: auth.userId ?? auth.keyId ?? auth.via },
      );
    },
  );

  app.get(
    '/bank-statement-lines',
    {
      schema: {
        tags: ['payments'],
        summary: 'Imported bank lines, newest first; status=unmatched is the review list',
        querystring: z.object({
          status: z
            .enum(['matched', 'unmatched', 'ignored', 'returned', 'return', 'not_customer'])
            .optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          order: z
            .enum(['date', 'amount'])
            .default('date')
            .describe('amount: largest first (the review queue)'),
        }),
        response: { 200: z.object({ items: z.array(storedLine) }), ...problemResponses },
      },
    },
    async (request) => {
      const rows = await inOrg(deps, request, readRoles, (trx, auth) =>
        listBankLines(trx, auth.orgId, {
          ...(request.query.status ? { status: request.query.status } : {}),
          limit: request.query.limit,
          order: request.query.order,
        }),
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          bookingDate: r.booking_date,
          amountMinor: Number(r.amount_minor),
          currency: r.currency.trim(),
          counterparty: r.counterparty,
          counterpartyIban: r.counterparty_iban,
          remittance: r.remittance,
          endToEndId: r.end_to_end_id,
          status: r.status,
          confidence: r.confidence,
          explanation: (r.explanation as Record<string, unknown> | null) ?? null,
          customerId: r.customer_id,
          paymentId: r.payment_id,
          reasons: r.match_reason ? r.match_reason.split(',') : [],
          suggestion: (r.suggestion as Record<string, unknown> | null) ?? null,
          filename: r.filename,
          importedAt: iso(r.created_at),
        })),
      };
    },
  );

  app.post(
    '/bank-statement-lines/:id/match',
    {
      schema: {
        tags: ['payments'],
        summary: 'Confirm an unmatched credit: record it as a payment (default: the matcher’s suggestion)',
        params: idParam,
        body: z
          .object({
            customerId: z.uuid().optional(),
            allocations: z
              .array(z.object({ invoiceId: z.uuid(), amountMinor: amountMinorInput }))
              .max(500)
              .optional()
              .describe('Default: the suggested allocations, else the oldest open invoices'),
          })
          .strict(),
        response: {
          200: z.object({ paymentId: z.uuid(), customerId: z.uuid(), allocatedMinor: z.number().int() }),
          409: problemResponse('The line is not an unmatched credit'),
          422: problemResponse('The allocations do not fit the customer’s open invoices'),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = requireRole(request, ledgerWriteRoles);
      return confirmBankLine(
        deps.handle.db,
        auth.orgId,
        request.params.id,
        {
          ...(request.body.customerId ? { customerId: request.body.customerId } : {}),
          ...(request.body.allocations ? { allocations: request.body.allocations } : {}),
        },
        auth.userId ?? auth.keyId ?? auth.via,
      );
    },
  );

  app.post(
    '/bank-statement-lines/:id/not-customer',
    {
      schema: {
        tags: ['payments'],
        summary: 'Set an unmatched line aside: not a customer payment (nothing is recorded in the ledger)',
        params: idParam,
        body: z.object({ note: z.string().max(500).optional() }).strict(),
        response: {
          200: z.object({ id: z.uuid(), status: z.literal('not_customer') }),
          409: problemResponse('The line is not unmatched'),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = requireRole(request, ledgerWriteRoles);
      return setAsideBankLine(
        deps.handle.db,
        auth.orgId,
        request.params.id,
        request.body.note ? { note: request.body.note } : {},
        auth.userId ?? auth.keyId ?? auth.via,
        deps.now(),
      );
    },
  );
};
