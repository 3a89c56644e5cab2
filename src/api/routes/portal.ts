import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { paymentProvidersOf } from '../../channels/payments/registry.js';
import { getLogoContent } from '../../db/queries/logos.js';
import type { Money } from '../../domain/money/index.js';
import { DISPUTE_REASON_CODES, MAX_DISPUTE_COMMENT } from '../../domain/portal/index.js';
import { AppError } from '../../errors.js';
import { attachDisputeFile, PORTAL_MAX_ATTACHMENT_BYTES } from '../../services/portal/attach-dispute-file.js';
import { openDispute } from '../../services/portal/open-dispute.js';
import { openPortal } from '../../services/portal/open-portal.js';
import { withPortalAccess } from '../../services/portal/portal-access.js';
import { promiseToPay } from '../../services/portal/promise-to-pay.js';
import type { ApiDeps } from '../context.js';
import { readUpload } from '../multipart.js';
import { ipWindowLimit } from '../plugins/ip-window-limit.js';
import { isoDate, moneySchema, problemResponse, toMoney } from '../schemas/common.js';
import { portalPaymentRoutes } from './portal-payments.js';

export const PORTAL_API_PREFIX = '/portal-api';
/** Requests per minute per token and client address. */
export const PORTAL_RATE_LIMIT = 60;
/** Requests per minute per client address, whatever the token (tokens cycled from one address). */
export const PORTAL_IP_RATE_LIMIT = 300;

const tokenParam = z.object({ token: z.string().min(1).max(200) });
const money = (m: Money) => toMoney(m.amount, m.currency);

const portalProblems = {
  400: problemResponse('Invalid parameters (each error names its field)'),
  404: problemResponse('The link is not valid or has expired (one answer whatever the cause)'),
  429: problemResponse('Too many requests from this address for this link'),
};

const itemSchema = z.object({
  invoiceId: z.uuid(),
  invoiceNumber: z.string(),
  issueDate: isoDate,
  dueDate: isoDate,
  daysLate: z.number().int(),
  amount: moneySchema,
  balanceDue: moneySchema,
  status: z.string(),
  disputed: z.boolean(),
  dispute: z
    .object({ id: z.uuid(), reasonCode: z.string(), status: z.string(), openedAt: z.string() })
    .nullable(),
  promisedDate: isoDate.nullable(),
  penalties: moneySchema.nullable().describe('Late-payment interest accrued to today, from the law engine'),
  indemnity: moneySchema.nullable().describe('Fixed recovery indemnity owed (40 € in French B2B)'),
});

const summarySchema = z.object({
  creditor: z.object({
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    logoUrl: z
      .string()
      .nullable()
      .describe("The creditor's logo under this link (/portal-api/:token/logo), or null"),
  }),
  customer: z.object({ name: z.string(), reference: z.string(), language: z.enum(['fr', 'en']) }),
  today: isoDate,
  items: z.array(itemSchema),
  balances: z.array(moneySchema),
  amounts: z
    .object({
      payNow: z.array(moneySchema).describe('Overdue and undisputed: what the portal asks to pay now'),
      notYetDue: z.array(moneySchema),
      disputed: z.array(moneySchema),
    })
    .describe('The balance split: pay now, not yet due, disputed (the debtor may pay more)'),
  transfer: z
    .object({
      beneficiary: z.string(),
      iban: z.string(),
      ibanPrinted: z.string(),
      bic: z.string().nullable(),
      reference: z.string().describe('ISO 11649 creditor reference (RF…) for all open items'),
      referencePrinted: z.string(),
      amount: moneySchema.nullable(),
      epcPayload: z.string().describe('EPC069-12 "BCD" payload (UTF-8) encoded in the QR code'),
      qrSvg: z.string(),
    })
    .nullable()
    .describe('Null when the creditor has no IBAN on file or the items are not all in euros'),
  firstView: z.boolean(),
  onlinePayment: z
    .boolean()
    .describe('A payment provider is configured: the portal offers to pay online ("Payer en ligne")'),
});

const disputeBody = z
  .object({
    reasonCode: z.enum(DISPUTE_REASON_CODES),
    comment: z.string().max(MAX_DISPUTE_COMMENT).optional(),
  })
  .strict();

const promiseBody = z
  .object({
    invoiceIds: z.array(z.uuid()).max(500).optional().describe('Default: every open item'),
    promisedDate: isoDate,
  })
  .strict();

/**
 * The debtor's portal API: JSON under /portal-api/:token, authorised by the signed link
 * alone. Every answer is no-store and sends no referrer, since the token is in the URL.
 */
export const portalRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  await app.register(rateLimit, {
    max: PORTAL_RATE_LIMIT,
    timeWindow: 60_000,
    keyGenerator: (request) => `${request.ip}|${(request.params as { token?: string }).token ?? ''}`,
  });
  app.addHook('onRequest', ipWindowLimit(PORTAL_IP_RATE_LIMIT, 60_000));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('referrer-policy', 'no-referrer');
  });
  const secret = { appSecret: deps.config.RELANCE_SECRET };
  // "Payer en ligne" is offered only when a payment provider is configured (issue 13).
  const onlinePayment = paymentProvidersOf(deps.config).checkout !== undefined;

  app.get(
    '/:token/logo',
    {
      schema: {
        tags: ['portal'],
        summary: "The creditor's logo (PNG or JPEG), for the link's organisation only",
        security: [],
        params: tokenParam,
      },
    },
    async (request, reply) => {
      const logo = await withPortalAccess(
        deps.handle.db,
        request.params.token,
        secret,
        deps.now(),
        (trx, access) => getLogoContent(trx, access.orgId),
      );
      if (!logo) throw new AppError('NOT_FOUND', 'The creditor has no logo');
      return reply
        .type(logo.media_type)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(logo.content));
    },
  );

  app.get(
    '/:token/summary',
    {
      schema: {
        tags: ['portal'],
        summary: 'What the debtor owes and how to pay it (records the visit)',
        security: [],
        params: tokenParam,
        response: { 200: summarySchema, ...portalProblems },
      },
    },
    async (request) => {
      const now = deps.now();
      const s = await withPortalAccess(deps.handle.db, request.params.token, secret, now, (trx, access) =>
        openPortal(trx, access, now, {
          ip: request.ip,
          ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
        }),
      );
      const { hasLogo, ...creditor } = s.creditor;
      return {
        ...s,
        creditor: {
          ...creditor,
          logoUrl: hasLogo ? `${PORTAL_API_PREFIX}/${encodeURIComponent(request.params.token)}/logo` : null,
        },
        items: s.items.map((i) => ({
          ...i,
          amount: money(i.amount),
          balanceDue: money(i.balanceDue),
          penalties: i.penalties ? money(i.penalties) : null,
          indemnity: i.indemnity ? money(i.indemnity) : null,
        })),
        balances: s.balances.map(money),
        amounts: {
          payNow: s.amounts.payNow.map(money),
          notYetDue: s.amounts.notYetDue.map(money),
          disputed: s.amounts.disputed.map(money),
        },
        transfer: s.transfer
          ? { ...s.transfer, amount: s.transfer.amount ? money(s.transfer.amount) : null }
          : null,
        onlinePayment,
      };
    },
  );

  app.post(
    '/:token/invoices/:invoiceId/dispute',
    {
      schema: {
        tags: ['portal'],
        summary: 'Dispute one invoice: dunning stops for it and the collector gets a task',
        security: [],
        params: tokenParam.extend({ invoiceId: z.uuid() }),
        body: disputeBody,
        response: {
          201: z.object({
            disputeId: z.uuid(),
            invoiceId: z.uuid(),
            invoiceNumber: z.string(),
            status: z.literal('open'),
            created: z.boolean(),
          }),
          200: z.object({
            disputeId: z.uuid(),
            invoiceId: z.uuid(),
            invoiceNumber: z.string(),
            status: z.literal('open'),
            created: z.boolean(),
          }),
          409: problemResponse('The invoice has nothing left to pay'),
          ...portalProblems,
        },
      },
    },
    async (request, reply) => {
      const now = deps.now();
      const r = await withPortalAccess(deps.handle.db, request.params.token, secret, now, (trx, access) =>
        openDispute(
          trx,
          access,
          {
            invoiceId: request.params.invoiceId,
            reasonCode: request.body.reasonCode,
            comment: request.body.comment ?? null,
          },
          now,
        ),
      );
      reply.status(r.created ? 201 : 200);
      return {
        disputeId: r.disputeId,
        invoiceId: r.invoiceId,
        invoiceNumber: r.invoiceNumber,
        status: r.status,
        created: r.created,
      };
    },
  );

  app.post(
    '/:token/promise',
    {
      schema: {
        tags: ['portal'],
        summary: 'Promise to pay by a date (bounded by the organisation’s maximum)',
        security: [],
        params: tokenParam,
        body: promiseBody,
        response: {
          201: z.object({
            promiseId: z.uuid(),
            invoiceIds: z.array(z.uuid()),
            amount: moneySchema,
            promisedDate: isoDate,
            graceDays: z.number().int(),
            resumesOn: isoDate,
          }),
          422: problemResponse(
            'The date breaks a rule (in the past, beyond the maximum) or the items cannot be promised',
          ),
          ...portalProblems,
        },
      },
    },
    async (request, reply) => {
      const now = deps.now();
      const r = await withPortalAccess(deps.handle.db, request.params.token, secret, now, (trx, access) =>
        promiseToPay(
          trx,
          access,
          {
            promisedDate: request.body.promisedDate,
            ...(request.body.invoiceIds ? { invoiceIds: request.body.invoiceIds } : {}),
          },
          now,
        ),
      );
      reply.status(201);
      return {
        promiseId: r.promiseId,
        invoiceIds: r.invoiceIds,
        amount: money(r.amount),
        promisedDate: r.promisedDate,
        graceDays: r.graceDays,
        resumesOn: r.resumesOn,
      };
    },
  );
  app.post(
    '/:token/disputes/:disputeId/attachment',
    {
      schema: {
        tags: ['portal'],
        summary: 'Attach a PDF or a photo to an open dispute (multipart/form-data, field "file", ≤ 5 MB)',
        security: [],
        params: tokenParam.extend({ disputeId: z.uuid() }),
        response: {
          201: z.object({ documentId: z.uuid(), sha256: z.string(), sizeBytes: z.number().int() }),
          409: problemResponse('The dispute is closed'),
          413: problemResponse('The file is larger than 5 MB'),
          ...portalProblems,
        },
      },
    },
    async (request, reply) => {
      const now = deps.now();
      const upload = await readUpload(request, PORTAL_MAX_ATTACHMENT_BYTES);
      const file = upload.file;
      const r = await withPortalAccess(deps.handle.db, request.params.token, secret, now, (trx, access) => {
        // Checked after the token, so a bad link answers the same whatever the body.
        if (!file)
          throw new AppError('VALIDATION', 'No file in the request', [
            { field: 'file', reason: 'send one file part named "file"' },
          ]);
        return attachDisputeFile(
          trx,
          access,
          request.params.disputeId,
          { filename: file.filename, mimeType: file.mimetype, content: file.content },
          now,
        );
      });
      reply.status(201);
      return r;
    },
  );
  // Not `deps` itself: it carries this plugin's prefix, which would apply twice.
  await app.register(portalPaymentRoutes, { handle: deps.handle, config: deps.config, now: deps.now });
};
