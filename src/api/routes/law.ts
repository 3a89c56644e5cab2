import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../db/schema/index.js';
import { buildEscalationFile, renderEscalationFile } from '../../services/law/build-escalation-file.js';
import { computePenalties } from '../../services/law/compute-penalties.js';
import type { ClaimOptions } from '../../services/law/customer-claim.js';
import { getEscalationEstimate } from '../../services/law/estimate-escalation.js';
import { computeInvoicePenalties } from '../../services/law/invoice-penalties.js';
import { listLimitationWarnings } from '../../services/law/list-limitation-warnings.js';
import { penaltyInputFromRequest } from '../../services/law/penalty-request.js';
import { renderFormalNotice } from '../../services/law/render-formal-notice.js';
import { type ApiDeps, inOrg, orgToday } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import { idParam, isoDate, problemResponses } from '../schemas/common.js';
import {
  documentQuery,
  escalationEstimateSchema,
  limitationQuery,
  limitationWarningSchema,
  penaltyRequestSchema,
  penaltyStatementSchema,
} from './law-schemas.js';

/** Legal documents are working papers for whoever acts on the claim, not for viewers. */
export const legalDocumentRoles: readonly Role[] = ['admin', 'accountant', 'collector'];

function download(reply: FastifyReply, type: string, filename: string, sha256: string, body: Buffer) {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`)
    .header('x-content-sha256', sha256)
    .header('cache-control', 'no-store')
    .send(body);
}

/**
 * The law engine over HTTP: the penalties calculator, an invoice's statement, a customer's
 * mise en demeure and escalation file, and the limitation warnings. Documents are rendered on
 * request from the ledger (decision 007): they are small and depend on the date asked for.
 */
export const lawRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.post(
    '/penalties/compute',
    {
      schema: {
        tags: ['law'],
        summary:
          'Compute late-payment interest and the fixed indemnity, line by line (as `relance penalties`)',
        body: penaltyRequestSchema,
        response: { 200: penaltyStatementSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const today = await orgToday(trx, auth.orgId, deps.now());
        return computePenalties(trx, auth.orgId, penaltyInputFromRequest(request.body, today));
      }),
  );

  app.get(
    '/invoices/:id/penalties',
    {
      schema: {
        tags: ['law'],
        summary: "An invoice's penalties statement to a date, from the ledger",
        params: idParam,
        querystring: z.object({
          until: isoDate.optional().describe("Compute to this date; the organisation's today by default"),
          noticeDate: isoDate
            .optional()
            .describe('Date of the formal notice (starts interest against a consumer)'),
        }),
        response: { 200: penaltyStatementSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const until = request.query.until ?? (await orgToday(trx, auth.orgId, deps.now()));
        return computeInvoicePenalties(trx, auth.orgId, request.params.id, until, {
          ...(request.query.noticeDate ? { noticeDate: request.query.noticeDate } : {}),
        });
      }),
  );

  app.get(
    '/customers/:id/formal-notice.pdf',
    {
      schema: {
        tags: ['law'],
        summary:
          "The customer's mise en demeure as a PDF letter (undisputed overdue invoices, penalties to the date)",
        params: idParam,
        querystring: documentQuery,
        produces: ['application/pdf'],
      },
    },
    async (request, reply) => {
      const { orgId, opts } = await documentRequest(request.query, request);
      const r = await renderFormalNotice(deps.handle.db, orgId, request.params.id, opts);
      return download(reply, 'application/pdf', r.filename, r.sha256, r.pdf);
    },
  );

  app.get(
    '/customers/:id/escalation-file.pdf',
    {
      schema: {
        tags: ['law'],
        summary: "The customer's escalation file as one PDF",
        params: idParam,
        querystring: documentQuery,
        produces: ['application/pdf'],
      },
    },
    async (request, reply) => {
      const { orgId, opts } = await documentRequest(request.query, request);
      const r = await renderEscalationFile(deps.handle.db, orgId, request.params.id, opts);
      return download(reply, 'application/pdf', `${r.basename}.pdf`, r.pdf.sha256, r.pdf.pdf);
    },
  );

  app.get(
    '/customers/:id/escalation-file.zip',
    {
      schema: {
        tags: ['law'],
        summary:
          "The customer's escalation file as a ZIP: dossier PDF, stored documents, evidence log (CSV, JSON) and a SHA-256 manifest",
        params: idParam,
        querystring: documentQuery,
        produces: ['application/zip'],
      },
    },
    async (request, reply) => {
      const { orgId, opts } = await documentRequest(request.query, request);
      const r = await buildEscalationFile(deps.handle.db, orgId, request.params.id, opts);
      return download(reply, 'application/zip', `${r.basename}.zip`, r.zipSha256, r.zip);
    },
  );

  app.get(
    '/customers/:id/escalation-estimate',
    {
      schema: {
        tags: ['law'],
        summary: 'Competent court, small-claims eligibility and the cost/benefit of each escalation route',
        params: idParam,
        querystring: documentQuery,
        response: { 200: escalationEstimateSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) =>
        getEscalationEstimate(
          trx,
          auth.orgId,
          request.params.id,
          await claimOptions(trx, auth.orgId, request.query),
        ),
      ),
  );

  app.get(
    '/limitation/warnings',
    {
      schema: {
        tags: ['law'],
        summary:
          'Open receivables whose limitation deadline falls within the horizon (90/30/7-day alerts) or has passed',
        querystring: limitationQuery,
        response: {
          200: z.object({ date: z.string(), items: z.array(limitationWarningSchema) }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const date = request.query.date ?? (await orgToday(trx, auth.orgId, deps.now()));
        const items = await listLimitationWarnings(trx, auth.orgId, date, {
          horizonDays: request.query.horizonDays,
          includeLapsed: request.query.includeLapsed,
        });
        return { date, items };
      }),
  );

  /**
   * Authorise and fix the date in a short transaction; the use case then loads in its own
   * and renders outside any, so a PDF being drawn never holds a connection (PGlite has one).
   */
  async function documentRequest(
    q: { date?: string | undefined; deadlineDays?: number | undefined; currency?: string | undefined },
    request: Parameters<typeof inOrg>[1],
  ): Promise<{ orgId: string; opts: ClaimOptions }> {
    return inOrg(deps, request, legalDocumentRoles, async (trx, auth) => ({
      orgId: auth.orgId,
      opts: await claimOptions(trx, auth.orgId, q),
    }));
  }

  async function claimOptions(
    trx: Parameters<typeof orgToday>[0],
    orgId: string,
    q: { date?: string | undefined; deadlineDays?: number | undefined; currency?: string | undefined },
  ): Promise<ClaimOptions> {
    return {
      date: q.date ?? (await orgToday(trx, orgId, deps.now())),
      ...(q.deadlineDays !== undefined ? { deadlineDays: q.deadlineDays } : {}),
      ...(q.currency !== undefined ? { currency: q.currency } : {}),
    };
  }
};
