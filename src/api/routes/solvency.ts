import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { creditCheck } from '../../services/solvency/credit-check.js';
import { getCustomerSolvency } from '../../services/solvency/customer-solvency.js';
import { declareClaim } from '../../services/solvency/declare-claim.js';
import { importBodacc } from '../../services/solvency/import-bodacc.js';
import { setCreditSettings } from '../../services/solvency/set-credit-limit.js';
import type { ApiDeps } from '../context.js';
import { readUpload } from '../multipart.js';
import { documentWriteRoles, ledgerWriteRoles, readRoles, requireRole } from '../plugins/auth.js';
import { idParam, problemResponses } from '../schemas/common.js';

const position = z.object({
  limitMinor: z.number().int().nullable(),
  openBalanceMinor: z.number().int(),
  pendingOrdersMinor: z.number().int(),
  exposureMinor: z.number().int(),
  usedPercent: z.number().int().nullable(),
  alert: z.enum(['none', 'warning', 'over_limit']),
  holdProposed: z.boolean(),
});

const side = z.object({ count: z.number().int(), balanceMinor: z.number().int() });

export const customerSolvencySchema = z
  .object({
    customerId: z.uuid(),
    siren: z.string().nullable(),
    sirenProblem: z.string().nullable(),
    identity: z
      .object({
        legalName: z.string().nullable(),
        status: z.enum(['A', 'C']),
        statusSince: z.string().nullable(),
        creationDate: z.string().nullable(),
        legalForm: z.string().nullable(),
        nafCode: z.string().nullable(),
        headcountLabel: z.string().nullable(),
        address: z.string().nullable(),
        source: z.string(),
      })
      .nullable(),
    proceedings: z.array(
      z.object({
        id: z.uuid(),
        kind: z.string(),
        label: z.string(),
        judgmentDate: z.string(),
        publicationDate: z.string(),
        tribunal: z.string().nullable(),
        mandataire: z.string().nullable(),
        declarationDeadline: z.string().nullable(),
        reservationDeadline: z.string().nullable(),
      }),
    ),
    banner: z
      .object({
        label: z.string(),
        judgmentDate: z.string(),
        declarationDeadline: z.string().nullable(),
        judgmentId: z.uuid(),
        preJudgment: side,
        postJudgment: side,
      })
      .nullable(),
    declarations: z.array(z.object({ documentId: z.uuid(), filename: z.string(), createdAt: z.string() })),
    credit: position,
    group: position.extend({ key: z.string(), name: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'CustomerSolvency' });

const creditBody = z.object({
  creditLimitMinor: z.number().int().min(0).nullable().optional(),
  pendingOrdersMinor: z.number().int().min(0).optional(),
  creditGroup: z.string().max(100).nullable().optional(),
});

const declareBody = z.object({
  judgmentId: z.uuid().optional(),
  signatory: z.string().max(200).optional(),
  reservationOfTitle: z.boolean().optional(),
});

const MAX_BODACC_BYTES = 20 * 1024 * 1024;

/** Solvency: the customer panel, credit settings, the claim declaration, credit check, BODACC import. */
export const solvencyRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/customers/:id/solvency',
    {
      schema: {
        tags: ['solvency'],
        summary: 'Identity, insolvency proceedings, credit limit and exposure of a customer',
        params: idParam,
        response: { 200: customerSolvencySchema, ...problemResponses },
      },
    },
    async (request) => {
      const auth = requireRole(request, readRoles);
      return getCustomerSolvency(deps.handle.db, auth.orgId, request.params.id);
    },
  );

  app.put(
    '/customers/:id/credit',
    {
      schema: {
        tags: ['solvency'],
        summary: 'Set the credit limit, orders not yet invoiced, or credit group; alerts at 80 % and 100 %',
        params: idParam,
        body: creditBody,
        response: { 200: z.object({ position, taskId: z.uuid().nullable() }), ...problemResponses },
      },
    },
    async (request) => {
      const auth = requireRole(request, ledgerWriteRoles);
      return setCreditSettings(deps.handle.db, auth.orgId, request.params.id, request.body, deps.now());
    },
  );

  app.post(
    '/customers/:id/claim-declaration',
    {
      schema: {
        tags: ['solvency'],
        summary: 'Generate the déclaration de créance PDF (kept with the documents and on the evidence)',
        params: idParam,
        body: declareBody,
        response: {
          201: z.object({
            documentId: z.uuid(),
            filename: z.string(),
            sha256: z.string(),
            judgmentId: z.uuid(),
            echuMinor: z.number().int(),
            aEchoirMinor: z.number().int(),
            interestMinor: z.number().int(),
            totalMinor: z.number().int(),
            currency: z.string(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const auth = requireRole(request, documentWriteRoles);
      const r = await declareClaim(deps.handle.db, auth.orgId, request.params.id, request.body, deps.now());
      return reply.status(201).send({
        documentId: r.documentId,
        filename: r.filename,
        sha256: r.sha256,
        judgmentId: r.judgmentId,
        echuMinor: r.amounts.echuMinor,
        aEchoirMinor: r.amounts.aEchoirMinor,
        interestMinor: r.amounts.interestMinor,
        totalMinor: r.amounts.totalMinor,
        currency: r.amounts.currency,
      });
    },
  );

  app.get(
    '/credit-check',
    {
      schema: {
        tags: ['solvency'],
        summary:
          'Check a company before giving credit: identity, status, proceedings, history, suggested limit',
        querystring: z.object({ siren: z.string().min(1).max(20), refresh: z.coerce.boolean().optional() }),
        response: { 200: z.looseObject({ siren: z.string() }), ...problemResponses },
      },
    },
    async (request) => {
      const auth = requireRole(request, readRoles);
      const r = await creditCheck(deps.handle.db, auth.orgId, request.query.siren, {
        now: deps.now(),
        refresh: request.query.refresh ?? false,
      });
      return { ...r };
    },
  );

  app.post(
    '/bodacc/imports',
    {
      schema: {
        tags: ['solvency'],
        summary:
          'Import a BODACC export (multipart file: DILA JSON/CSV or the re-export); applies the law to matched customers',
        consumes: ['multipart/form-data'],
        response: { 200: z.looseObject({ records: z.number().int() }), ...problemResponses },
      },
    },
    async (request) => {
      const auth = requireRole(request, ledgerWriteRoles);
      const upload = await readUpload(request, MAX_BODACC_BYTES);
      if (!upload.file)
        throw new AppError('VALIDATION', 'No file', [{ field: 'file', reason: 'a file part is required' }]);
      const r = await importBodacc(deps.handle.db, auth.orgId, upload.file.content.toString('utf8'), {
        filename: upload.file.filename,
        now: deps.now(),
      });
      return { ...r };
    },
  );
};
