import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_CASE_COMMENT, MAX_CASE_REASON } from '../../services/cases/case-context.js';
import { closePromise } from '../../services/cases/close-promise.js';
import { endPause } from '../../services/cases/end-pause.js';
import { pauseCustomer } from '../../services/cases/pause-customer.js';
import { resolveDispute } from '../../services/cases/resolve-dispute.js';
import { setCreditHold } from '../../services/cases/set-credit-hold.js';
import { type ApiDeps, inOrg } from '../context.js';
import { ledgerWriteRoles } from '../plugins/auth.js';
import {
  idParam,
  isoDate,
  moneySchema,
  problemResponse,
  problemResponses,
  toMoney,
} from '../schemas/common.js';
import { collectionWriteRoles } from './tasks.js';

const reason = z.string().trim().min(1).max(MAX_CASE_REASON);

const resolveDisputeBody = z
  .object({
    outcome: z
      .enum(['upheld', 'rejected'])
      .describe('upheld: the debtor was right (status resolved); rejected: the invoice is due again'),
    reason: reason.describe('Why, as the evidence file and the collector will read it'),
    comment: z.string().max(MAX_CASE_COMMENT).nullish(),
    creditNoteAmountMinor: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Upheld only: issue a credit note of this amount (at most the balance); admin or accountant'),
  })
  .meta({ id: 'ResolveDispute' });

const resolveDisputeResult = z.object({
  disputeId: z.uuid(),
  invoiceId: z.uuid(),
  invoiceNumber: z.string(),
  status: z.enum(['resolved', 'rejected']),
  creditNote: z.object({ id: z.uuid(), creditNoteNumber: z.string(), amount: moneySchema }).nullable(),
  balanceDue: moneySchema,
  completedTaskIds: z.array(z.uuid()),
  evidenceSeq: z.number().int(),
});

const pauseBody = z
  .object({ until: isoDate.describe('Last paused day, inclusive'), reason })
  .meta({ id: 'PauseCustomer' });

const endPauseBody = z.object({ reason: z.string().max(MAX_CASE_REASON).nullish() }).meta({ id: 'EndPause' });

const closePromiseBody = z
  .object({
    status: z
      .enum(['cancelled', 'kept', 'broken'])
      .describe('broken gives the collector a broken-promise task; any of them lifts the pause'),
    reason,
  })
  .meta({ id: 'ClosePromise' });

const creditHoldBody = z
  .object({ hold: z.boolean().describe('true puts the customer on hold, false releases it'), reason })
  .meta({ id: 'CreditHold' });

const conflict = {
  409: problemResponse('Already in that state (ended, resolved, released…); nothing was changed'),
};

/**
 * Acting on a customer's case from its file: settle disputes, pause the account or end a
 * pause, close promises to pay, put on or release credit hold (docs/dunning.md).
 */
export const caseActionRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.post(
    '/disputes/:id/resolve',
    {
      schema: {
        tags: ['worklist'],
        summary:
          'Resolve a dispute: upheld (optionally with a credit note) or rejected; the invoice leaves or re-enters dunning',
        params: idParam,
        body: resolveDisputeBody,
        response: { 200: resolveDisputeResult, ...problemResponses, ...conflict },
      },
    },
    async (request) => {
      // A credit note is an accounting document: only those who may write the ledger issue one.
      const roles =
        request.body.creditNoteAmountMinor === undefined ? collectionWriteRoles : ledgerWriteRoles;
      return inOrg(deps, request, roles, async (trx, auth) => {
        const r = await resolveDispute(trx, auth.orgId, request.params.id, request.body, auth, deps.now());
        const currency = r.currency;
        return {
          disputeId: r.disputeId,
          invoiceId: r.invoiceId,
          invoiceNumber: r.invoiceNumber,
          status: r.status,
          creditNote: r.creditNote
            ? {
                id: r.creditNote.id,
                creditNoteNumber: r.creditNote.creditNoteNumber,
                amount: toMoney(r.creditNote.amountMinor, currency),
              }
            : null,
          balanceDue: toMoney(r.balanceMinor, currency),
          completedTaskIds: r.completedTaskIds,
          evidenceSeq: r.evidenceSeq,
        };
      });
    },
  );

  app.post(
    '/customers/:id/pauses',
    {
      schema: {
        tags: ['worklist'],
        summary: 'Pause dunning of the whole account until a date (inclusive)',
        params: idParam,
        body: pauseBody,
        response: {
          201: z.object({ pauseId: z.uuid(), until: isoDate, evidenceSeq: z.number().int() }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const r = await inOrg(deps, request, collectionWriteRoles, (trx, auth) =>
        pauseCustomer(trx, auth.orgId, request.params.id, request.body, auth, deps.now()),
      );
      return reply.status(201).send(r);
    },
  );

  app.post(
    '/pauses/:id/end',
    {
      schema: {
        tags: ['worklist'],
        summary: 'End a pause (account or invoice) before its date: the items are plannable again at once',
        params: idParam,
        body: endPauseBody,
        response: {
          200: z.object({
            pauseId: z.uuid(),
            customerId: z.uuid(),
            invoiceId: z.uuid().nullable(),
            evidenceSeq: z.number().int(),
          }),
          ...problemResponses,
          ...conflict,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, collectionWriteRoles, (trx, auth) =>
        endPause(trx, auth.orgId, request.params.id, request.body, auth, deps.now()),
      ),
  );

  app.post(
    '/promises/:id/close',
    {
      schema: {
        tags: ['worklist'],
        summary: 'Cancel a promise to pay, or mark it kept or broken by hand',
        params: idParam,
        body: closePromiseBody,
        response: {
          200: z.object({
            promiseId: z.uuid(),
            customerId: z.uuid(),
            status: z.enum(['cancelled', 'kept', 'broken']),
            completedTaskIds: z.array(z.uuid()),
            followUpTaskId: z.uuid().nullable(),
            evidenceSeq: z.number().int(),
          }),
          ...problemResponses,
          ...conflict,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, collectionWriteRoles, (trx, auth) =>
        closePromise(trx, auth.orgId, request.params.id, request.body, auth, deps.now()),
      ),
  );

  app.post(
    '/customers/:id/credit-hold',
    {
      schema: {
        tags: ['worklist'],
        summary: 'Put a customer on credit hold or release it, with a reason',
        params: idParam,
        body: creditHoldBody,
        response: {
          200: z.object({ customerId: z.uuid(), creditHold: z.boolean(), evidenceSeq: z.number().int() }),
          ...problemResponses,
          ...conflict,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, collectionWriteRoles, (trx, auth) =>
        setCreditHold(trx, auth.orgId, request.params.id, request.body, auth, deps.now()),
      ),
  );
};
