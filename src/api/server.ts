import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { DbHandle } from '../db/connection.js';
import { logger } from '../logger.js';
import { projectRoot } from '../project-root.js';
import { MAX_DOCUMENT_BYTES } from '../services/documents/upload-document.js';
import type { ApiDeps } from './context.js';
import { apiKeyAuthenticator, authenticate } from './plugins/auth.js';
import { registerInputGuards } from './plugins/input-guards.js';
import { sessionAuthenticator } from './plugins/session.js';
import { problem, sendProblem, toProblem } from './problem.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { authRoutes } from './routes/auth.js';
import { bankStatementRoutes } from './routes/bank-statements.js';
import { callRoutes } from './routes/calls.js';
import { caseActionRoutes } from './routes/case-actions.js';
import { channelWebhookRoutes, HOOKS_PREFIX } from './routes/channel-webhooks.js';
import { channelRoutes } from './routes/channels.js';
import { creditNoteRoutes } from './routes/credit-notes.js';
import { customerCaseRoutes } from './routes/customer-case.js';
import { customerOverviewRoutes } from './routes/customer-overview.js';
import { customerRoutes } from './routes/customers.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { documentRoutes } from './routes/documents.js';
import { dunningRoutes } from './routes/dunning.js';
import { dunningApprovalRoutes } from './routes/dunning-approvals.js';
import { dunningPolicyRoutes } from './routes/dunning-policies.js';
import { fecImportRoutes } from './routes/fec-imports.js';
import { healthRoutes } from './routes/health.js';
import { importPreviewRoutes } from './routes/import-preview.js';
import { importRoutes } from './routes/imports.js';
import { INVITATIONS_API_PREFIX, invitationRoutes } from './routes/invitations.js';
import { invoiceBulkRoutes } from './routes/invoice-bulk.js';
import { invoiceTotalsRoutes } from './routes/invoice-totals.js';
import { invoiceRoutes } from './routes/invoices.js';
import { lawRoutes } from './routes/law.js';
import { ledgerWriteRoutes } from './routes/ledger-writes.js';
import { messageTemplateRoutes } from './routes/message-templates.js';
import { paymentPlanRoutes } from './routes/payment-plans.js';
import { paymentWebhookRoutes, WEBHOOK_PREFIX } from './routes/payment-webhooks.js';
import { paymentRoutes } from './routes/payments.js';
import { PORTAL_API_PREFIX, portalRoutes } from './routes/portal.js';
import { riskRoutes } from './routes/risk.js';
import { searchRoutes } from './routes/search.js';
import { sentMessageRoutes } from './routes/sent-messages.js';
import { settingsRoutes } from './routes/settings.js';
import { solvencyRoutes } from './routes/solvency.js';
import { taskRoutes } from './routes/tasks.js';
import { userRoutes } from './routes/users.js';
import { worklistRoutes } from './routes/worklist.js';
import { worklistCustomerRoutes } from './routes/worklist-customers.js';
import { isPortalPage, sendPortalPage } from './web-portal-page.js';

export const API_PREFIX = '/api/v1';
export const API_VERSION = '1.0.0';

export interface ServerDeps {
  handle: DbHandle;
  config: Config;
  log?: Logger;
  /** The clock; tests fix it to make "today" and days overdue deterministic. */
  now?: () => Date;
  /** The built web app (`npm run build:web`); served at / when it exists. false: API only. */
  webDir?: string | false;
  /** Told of every route as it is registered (the OpenAPI completeness test lists them). */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

const defaultWebDir = join(projectRoot, 'web/dist');

/** Largest request body (JSON or form) outside uploads, in bytes (docs/configuration.md). */
export const BODY_LIMIT = 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honour a caller's or proxy's x-request-id when it is sane, otherwise make one. */
function genReqId(req: IncomingMessage): string {
  const h = req.headers['x-request-id'];
  const given = Array.isArray(h) ? h[0] : h;
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The HTTP API: health, OpenAPI at /docs, and the ledger under /api/v1. Does not listen:
 * the caller (src/main.ts, tests with inject) decides.
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const log = deps.log ?? logger(deps.config.LOG_LEVEL);
  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    genReqId,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);

  registerInputGuards(app, BODY_LIMIT);
  app.decorateRequest('auth', null);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.setErrorHandler((err, request, reply) => {
    let p: ReturnType<typeof toProblem>;
    try {
      p = toProblem(err, request);
    } catch {
      // Mapping the error failed too (a value too deep or too strange to describe): still
      // answer problem+json, never Fastify's default page.
      p = problem('INTERNAL', 500, 'An unexpected error occurred; it has been logged with the request id.');
    }
    if (p.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: p.code, status: p.status }, p.detail ?? p.title);
    return sendProblem(reply, p);
  });
  const webDir = deps.webDir ?? defaultWebDir;
  const serveWeb = webDir !== false && existsSync(join(webDir, 'index.html'));
  const servePortal = serveWeb && typeof webDir === 'string' && existsSync(join(webDir, 'portal.html'));
  app.setNotFoundHandler((request, reply) => {
    // The web app routes in the browser: a page load of /invoices gets index.html. Only
    // navigations (Accept: text/html) outside the API and docs fall back, so API clients
    // keep their problem+json 404.
    const path = request.url.split('?')[0] ?? request.url;
    if (servePortal && isPortalPage(request.method, path, request.headers.accept)) {
      return sendPortalPage(reply);
    }
    if (
      serveWeb &&
      request.method === 'GET' &&
      (request.headers.accept ?? '').includes('text/html') &&
      !path.startsWith('/api/') &&
      !path.startsWith(`${PORTAL_API_PREFIX}/`) &&
      !path.startsWith('/docs')
    ) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(
      reply,
      problem('NOT_FOUND', 404, `No route ${request.method} ${request.url.split('?')[0]}`, {
        instance: request.url.split('?')[0] ?? request.url,
      }),
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Relance API',
        description:
          'Accounts-receivable ledger of one organisation: customers, invoices, payments, credit notes, documents and imports. Errors are RFC 9457 problem+json.',
        version: API_VERSION,
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key: rk_<prefix>_<secret>' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(multipart, {
    limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 20, fieldSize: 100_000 },
  });

  const api: ApiDeps = { handle: deps.handle, config: deps.config, now: deps.now ?? (() => new Date()) };
  await app.register(cookie);
  if (serveWeb && webDir) await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: true });
  await app.register(healthRoutes, api);
  // The debtor portal: authorised by its signed link, not by API keys.
  await app.register(portalRoutes, { ...api, prefix: PORTAL_API_PREFIX });
  // Payment providers: authorised by their signature, not by API keys.
  await app.register(paymentWebhookRoutes, { ...api, prefix: WEBHOOK_PREFIX });
  await app.register(authRoutes, { ...api, prefix: `${API_PREFIX}/auth` });
  // Provider webhooks: authorised by the provider's signature, not by API keys.
  await app.register(channelWebhookRoutes, { ...api, prefix: HOOKS_PREFIX });
  await app.register(invitationRoutes, { ...api, prefix: INVITATIONS_API_PREFIX });
  await app.register(
    async (v1) => {
      v1.addHook(
        'onRequest',
        authenticate([apiKeyAuthenticator(deps.handle.db), sessionAuthenticator(deps.handle.db, api.now)]),
      );
      await v1.register(customerRoutes, api);
      await v1.register(dashboardRoutes, api);
      await v1.register(invoiceRoutes, api);
      await v1.register(paymentRoutes, api);
      await v1.register(paymentPlanRoutes, api);
      await v1.register(bankStatementRoutes, api);
      await v1.register(creditNoteRoutes, api);
      await v1.register(documentRoutes, api);
      await v1.register(importRoutes, api);
      await v1.register(fecImportRoutes, api);
      await v1.register(importPreviewRoutes, api);
      await v1.register(apiKeyRoutes, api);
      await v1.register(dunningRoutes, api);
      await v1.register(sentMessageRoutes, api);
      await v1.register(lawRoutes, api);
      await v1.register(channelRoutes(API_PREFIX), api);
      await v1.register(dunningPolicyRoutes, api);
      await v1.register(messageTemplateRoutes, api);
      await v1.register(dunningApprovalRoutes, api);
      await v1.register(worklistRoutes, api);
      await v1.register(taskRoutes, api);
      await v1.register(callRoutes, api);
      await v1.register(invoiceBulkRoutes, api);
      await v1.register(caseActionRoutes, api);
      await v1.register(customerCaseRoutes, api);
      await v1.register(settingsRoutes, api);
      await v1.register(userRoutes, api);
      await v1.register(ledgerWriteRoutes, api);
      await v1.register(searchRoutes, api);
      await v1.register(customerOverviewRoutes, api);
      await v1.register(worklistCustomerRoutes, api);
      await v1.register(invoiceTotalsRoutes, api);
      await v1.register(solvencyRoutes, api);
      await v1.register(riskRoutes, api);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
