import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withOrg } from '../../db/connection.js';
import { channelHealth } from '../../db/queries/deliveries.js';
import { checkTrackingNumber, TRACKING_NUMBER_HINT } from '../../domain/letters/tracking-number.js';
import { notFound } from '../../errors.js';
import {
  type LetterRow,
  letterPdf,
  listLetters,
  postLetter,
  receiveLetterReceipt,
} from '../../services/channels/letters.js';
import { MAX_LETTERS_PER_PRINT, printLetters } from '../../services/channels/print-letters.js';
import {
  MAX_INBOUND_EMAIL_BYTES,
  receiveInboundEmail,
} from '../../services/channels/receive-inbound-email.js';
import { type ApiDeps, orgToday } from '../context.js';
import { documentWriteRoles, readRoles, requireRole } from '../plugins/auth.js';
import { idParam, iso, isoDate, problemResponses } from '../schemas/common.js';

const healthSchema = z
  .object({
    since: z.string(),
    days: z.number().int(),
    channels: z.array(
      z.object({
        channel: z.enum(['email', 'sms', 'letter']),
        total: z.number().int(),
        pending: z.number().int(),
        sent: z.number().int().describe('Accepted by the provider (sent, posted and everything after)'),
        delivered: z.number().int(),
        failed: z.number().int(),
        bounced: z.number().int(),
        bounceRate: z.number().describe('bounced / (accepted + failed), 4 decimals'),
      }),
    ),
  })
  .meta({ id: 'ChannelHealth' });

const letterSchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    customerName: z.string(),
    actionId: z.uuid().nullable(),
    registered: z.boolean(),
    status: z.string(),
    toAddress: z.string(),
    documentSha256: z.string().nullable(),
    pdfUrl: z.string().nullable(),
    trackingNumber: z.string().nullable(),
    postedOn: isoDate.nullable(),
    receivedOn: isoDate.nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Letter' });

type LetterOut = z.infer<typeof letterSchema>;

function letterOut(prefix: string, r: LetterRow): LetterOut {
  return {
    id: r.id,
    customerId: r.customerId,
    customerName: r.customerName,
    actionId: r.actionId,
    registered: r.registered,
    status: r.status,
    toAddress: r.toAddress,
    documentSha256: r.documentSha256,
    pdfUrl: r.documentId ? `${prefix}/letters/${r.id}.pdf` : null,
    trackingNumber: r.trackingNumber,
    postedOn: r.postedOn,
    receivedOn: r.receivedOn,
    createdAt: iso(r.createdAt),
  };
}

const inboundSchema = z
  .object({
    kind: z.enum(['reply', 'bounce']),
    customerId: z.uuid().optional(),
    deliveryId: z.uuid().nullable().optional(),
    matchedBy: z.string().optional(),
    stored: z.boolean().optional(),
    taskId: z.uuid().nullable().optional(),
    matched: z.number().int().optional(),
    inserted: z.number().int().optional(),
  })
  .meta({ id: 'InboundEmailOutcome' });

const trackingNumber = z
  .string()
  .superRefine((s, ctx) => {
    const check = checkTrackingNumber(s);
    if (!check.ok)
      ctx.addIssue({
        code: 'custom',
        message: check.reason === 'check_digit' ? 'wrong check digit (UPU S10)' : TRACKING_NUMBER_HINT,
      });
  })
  .transform((s) => {
    const check = checkTrackingNumber(s);
    return check.ok ? check.value : s;
  })
  .describe(TRACKING_NUMBER_HINT);

/** Channel health, the letter print queue and the inbound email endpoint (under /api/v1). */
export function channelRoutes(apiPrefix: string): FastifyPluginAsyncZod<ApiDeps> {
  return async (app, deps) => {
    // Raw MIME in, parsed by the use case; this scope only.
    app.addContentTypeParser(
      ['message/rfc822', 'application/octet-stream', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: MAX_INBOUND_EMAIL_BYTES },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/channels/health',
      {
        schema: {
          tags: ['channels'],
          summary: 'Per channel: sent, delivered, failed and bounced counts and bounce rate over a window',
          querystring: z.object({
            days: z.coerce
              .number()
              .int()
              .min(1)
              .max(366)
              .default(30)
              .describe('Window: deliveries created in the last N days'),
          }),
          response: { 200: healthSchema, ...problemResponses },
        },
      },
      async (request) => {
        const auth = requireRole(request, readRoles);
        const since = new Date(deps.now().getTime() - request.query.days * 86_400_000);
        const rows = await withOrg(deps.handle.db, auth.orgId, (trx) =>
          channelHealth(trx, auth.orgId, since),
        );
        return {
          since: since.toISOString(),
          days: request.query.days,
          channels: rows.map((r) => ({
            channel: r.channel,
            total: r.total,
            pending: r.pending,
            sent: r.accepted,
            delivered: r.delivered,
            failed: r.failed,
            bounced: r.bounced,
            bounceRate: r.bounceRate,
          })),
        };
      },
    );

    app.get(
      '/letters',
      {
        schema: {
          tags: ['channels'],
          summary: 'Letters: the print queue (status=to_print), posted, delivered or all, oldest first',
          querystring: z.object({
            status: z.enum(['to_print', 'posted', 'delivered', 'all']).default('to_print'),
            limit: z.coerce.number().int().min(1).max(500).default(200),
            cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
          }),
          response: {
            200: z.object({
              items: z.array(letterSchema),
              nextCursor: z.string().nullable(),
              total: z.number().int().describe('Letters in this status, all pages together'),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => {
        const auth = requireRole(request, readRoles);
        const page = await listLetters(deps.handle.db, auth.orgId, request.query);
        return {
          items: page.items.map((r) => letterOut(apiPrefix, r)),
          nextCursor: page.nextCursor,
          total: page.total,
        };
      },
    );

    // A static path: find-my-way matches it before the parametric /letters/:id.pdf below.
    app.get(
      '/letters/batch.pdf',
      {
        schema: {
          tags: ['channels'],
          summary:
            'Several letters merged into one PDF to print, each starting on an odd page (changes no status: printing is not posting)',
          querystring: z.object({
            ids: z
              .string()
              .transform((s) => s.split(',').map((x) => x.trim()))
              .pipe(z.array(z.uuid()).min(1).max(MAX_LETTERS_PER_PRINT))
              .describe(`Letter ids, comma separated, in print order (at most ${MAX_LETTERS_PER_PRINT})`),
          }),
        },
      },
      async (request, reply) => {
        const auth = requireRole(request, readRoles);
        const batch = await printLetters(deps.handle.db, auth.orgId, request.query.ids);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="courriers-${batch.letters}.pdf"`)
          .header('x-content-type-options', 'nosniff')
          .send(batch.content);
      },
    );

    app.get(
      '/letters/:id.pdf',
      {
        schema: {
          tags: ['channels'],
          summary: 'The rendered letter, byte for byte as hashed on the timeline',
          params: idParam,
        },
      },
      async (request, reply) => {
        const auth = requireRole(request, readRoles);
        const pdf = await letterPdf(deps.handle.db, auth.orgId, request.params.id);
        return reply
          .type('application/pdf')
          .header(
            'content-disposition',
            `inline; filename="${pdf.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
          )
          .header('etag', `"${pdf.sha256}"`)
          .header('x-content-type-options', 'nosniff')
          .send(pdf.content);
      },
    );

    app.post(
      '/letters/:id/posted',
      {
        schema: {
          tags: ['channels'],
          summary: 'Record that a printed letter was posted (tracking number of a registered letter)',
          params: idParam,
          body: z.object({
            trackingNumber: trackingNumber.optional(),
            postedOn: isoDate.optional().describe('Default: today'),
          }),
          response: { 200: letterSchema, ...problemResponses },
        },
      },
      async (request) => {
        const auth = requireRole(request, documentWriteRoles);
        const postedOn =
          request.body.postedOn ??
          (await withOrg(deps.handle.db, auth.orgId, (trx) => orgToday(trx, auth.orgId, deps.now())));
        await postLetter(deps.handle.db, auth.orgId, request.params.id, {
          postedOn,
          ...(request.body.trackingNumber ? { trackingNumber: request.body.trackingNumber } : {}),
          by: auth.userId ?? auth.keyId ?? auth.via,
        });
        return letterOut(apiPrefix, await oneLetter(deps, auth.orgId, request.params.id));
      },
    );

    app.post(
      '/letters/:id/receipt',
      {
        schema: {
          tags: ['channels'],
          summary: 'Record the signed acknowledgement of receipt of a posted letter',
          params: idParam,
          body: z.object({
            receivedOn: isoDate,
            scanDocumentId: z
              .uuid()
              .optional()
              .describe(
                'A scan of the signed card, uploaded first (POST /documents, kind proof_of_delivery)',
              ),
          }),
          response: { 200: letterSchema, ...problemResponses },
        },
      },
      async (request) => {
        const auth = requireRole(request, documentWriteRoles);
        await receiveLetterReceipt(deps.handle.db, auth.orgId, request.params.id, {
          receivedOn: request.body.receivedOn,
          scanDocumentId: request.body.scanDocumentId,
          by: auth.userId ?? auth.keyId ?? auth.via,
        });
        return letterOut(apiPrefix, await oneLetter(deps, auth.orgId, request.params.id));
      },
    );

    app.post(
      '/inbound/email',
      {
        schema: {
          tags: ['channels'],
          summary:
            "A debtor's reply or a bounce, as raw MIME (message/rfc822), filed on the customer's timeline",
          description:
            'For a forwarding MTA or an inbound-mail provider, with an API key of the organisation. A reply is matched by its reply token (plus-address, In-Reply-To/References), a Message-ID we sent, or a sender known as a contact of one customer, and creates a reply task. 422 when nothing matches.',
          headers: z.object({ 'x-envelope-to': z.string().max(2000).optional() }).passthrough(),
          response: { 200: inboundSchema, ...problemResponses },
        },
      },
      async (request) => {
        const auth = requireRole(request, documentWriteRoles);
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.from(String(request.body ?? ''));
        const envelopeTo = (request.headers['x-envelope-to'] ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const r = await receiveInboundEmail(deps.handle.db, auth.orgId, raw, {
          ...(deps.config.RELANCE_SECRET ? { secret: deps.config.RELANCE_SECRET } : {}),
          envelopeTo,
          now: deps.now(),
        });
        request.log.info(
          { kind: r.kind, ...(r.kind === 'reply' ? { matchedBy: r.matchedBy, stored: r.stored } : {}) },
          'inbound email',
        );
        return r;
      },
    );
  };
}

async function oneLetter(deps: ApiDeps, orgId: string, id: string) {
  const [found] = (await listLetters(deps.handle.db, orgId, { status: 'all', limit: 1, id })).items;
  if (!found) throw notFound('Letter', id);
  return found;
}
