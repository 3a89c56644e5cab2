import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withOrg } from '../../db/connection.js';
import { listEvidence } from '../../db/queries/evidence.js';
import { describeEvidence } from '../../domain/dunning/evidence-wording.js';
import { verifyChain } from '../../domain/dunning/index.js';
import { notFound } from '../../errors.js';
import { planDunningRun } from '../../services/dunning/plan-dunning-run.js';
import { runInstant } from '../../services/dunning/run-dunning.js';
import type { ApiDeps } from '../context.js';
import { readRoles, requireRole } from '../plugins/auth.js';
import { idParam, isoDate, problemResponses } from '../schemas/common.js';

const previewItem = z.object({
  invoiceId: z.uuid(),
  invoiceNumber: z.string(),
  instalmentSeq: z.number().int().nullable(),
  dueDate: isoDate,
  daysLate: z.number().int(),
  balanceMinor: z.number().int(),
  currency: z.string(),
});

const previewSchema = z
  .object({
    localDate: isoDate,
    now: z.string(),
    customersScanned: z.number().int(),
    actions: z.number().int(),
    postponed: z.number().int(),
    excludedItems: z.number().int(),
    customers: z.array(
      z.object({
        customerId: z.uuid(),
        customerName: z.string(),
        policyKey: z.string(),
        policyVersion: z.number().int(),
        policyReason: z.string(),
        actions: z.array(
          z.object({
            stepKey: z.string(),
            stepLabel: z.string(),
            kind: z.enum(['send', 'task']),
            channels: z.array(z.object({ channel: z.string(), address: z.string().nullable() })),
            channelNotes: z.array(z.string()),
            /** Backlog catch-up ("reprise d'un arriéré"), with the following step and its earliest date. */
            catchUp: z.boolean(),
            nextStep: z.object({ key: z.string(), label: z.string(), date: isoDate }).nullable(),
            reason: z.string(),
            idempotencyKey: z.string(),
            items: z.array(previewItem),
            totals: z.array(z.object({ currency: z.string(), balanceMinor: z.number().int() })),
          }),
        ),
        postponed: z.array(
          z.object({ stepLabel: z.string(), reason: z.string(), detail: z.string(), nextTryDate: isoDate }),
        ),
        excluded: z.array(
          z.object({
            invoiceNumber: z.string(),
            reason: z.string(),
            detail: z.string(),
            resumesOn: isoDate.nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'DunningPreview' });

const evidenceSchema = z
  .object({
    intact: z.boolean(),
    brokenAt: z.number().int().nullable(),
    entries: z.array(
      z.object({
        seq: z.number().int(),
        id: z.uuid(),
        at: z.string(),
        kind: z.string(),
        channel: z.string().nullable(),
        summary: z.string(),
        text: z
          .object({ fr: z.string(), en: z.string() })
          .describe('What happened, when it happened, in French and English (queued, posted, receipt…)'),
        contentSha256: z.string().nullable(),
        hash: z.string(),
        payload: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: 'Timeline' });

export const dunningRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/dunning/preview',
    {
      schema: {
        tags: ['dunning'],
        summary: 'What a run would do, to whom and why (dry run: nothing is written)',
        querystring: z.object({
          date: isoDate.optional().describe("Run as that day at the organisation's send time; default now"),
        }),
        response: { 200: previewSchema, ...problemResponses },
      },
    },
    async (request) => {
      const auth = requireRole(request, readRoles);
      const at = await withOrg(deps.handle.db, auth.orgId, (trx) =>
        runInstant(trx, auth.orgId, request.query.date, deps.now()),
      );
      const r = await planDunningRun(deps.handle.db, auth.orgId, { now: at, dryRun: true });
      return {
        localDate: r.localDate,
        now: r.now,
        customersScanned: r.customersScanned,
        actions: r.actions,
        postponed: r.postponed,
        excludedItems: r.excludedItems,
        customers: r.plans
          .filter((p) => p.plan.actions.length + p.plan.postponed.length + p.plan.excluded.length > 0)
          .map((p) => ({
            customerId: p.plan.customerId,
            customerName: p.customerName,
            policyKey: p.policyKey,
            policyVersion: p.policyVersion,
            policyReason: p.policyReason,
            actions: p.plan.actions.map((a) => ({
              stepKey: a.stepKey,
              stepLabel: a.stepLabel,
              kind: a.kind,
              channels: a.channels.map((c) => ({ channel: c.channel, address: c.address })),
              channelNotes: a.channelNotes,
              catchUp: a.catchUp,
              nextStep: a.nextStep,
              reason: a.reason,
              idempotencyKey: a.idempotencyKey,
              items: a.items.map((i) => ({
                invoiceId: i.invoiceId,
                invoiceNumber: i.invoiceNumber,
                instalmentSeq: i.instalmentSeq,
                dueDate: i.dueDate,
                daysLate: i.daysLate,
                balanceMinor: i.balanceMinor,
                currency: i.currency,
              })),
              totals: a.totals,
            })),
            postponed: p.plan.postponed.map((x) => ({
              stepLabel: x.action.stepLabel,
              reason: x.reason,
              detail: x.detail,
              nextTryDate: x.nextTryDate,
            })),
            excluded: p.plan.excluded.map((e) => ({
              invoiceNumber: e.invoiceNumber,
              reason: e.reason,
              detail: e.detail,
              resumesOn: e.resumesOn,
            })),
          })),
      };
    },
  );

  app.get(
    '/customers/:id/timeline',
    {
      schema: {
        tags: ['dunning'],
        summary: "The customer's evidence file: every action, in order, hash-chained",
        params: idParam,
        response: { 200: evidenceSchema, ...problemResponses },
      },
    },
    async (request) => {
      const auth = requireRole(request, readRoles);
      return withOrg(deps.handle.db, auth.orgId, async (trx) => {
        const customer = await trx
          .selectFrom('customers')
          .select('id')
          .where('org_id', '=', auth.orgId)
          .where('id', '=', request.params.id)
          .executeTakeFirst();
        if (!customer) throw notFound('Customer', request.params.id);
        const entries = await listEvidence(trx, auth.orgId, customer.id);
        const v = verifyChain(entries);
        return {
          intact: v.ok,
          brokenAt: v.ok ? null : v.seq,
          entries: entries.map((e) => ({
            seq: e.seq,
            id: e.id,
            at: e.at,
            kind: e.kind,
            channel: e.channel,
            summary: e.summary,
            text: { fr: describeEvidence(e, 'fr'), en: describeEvidence(e, 'en') },
            contentSha256: e.contentSha256,
            hash: e.hash,
            payload: e.payload,
          })),
        };
      });
    },
  );
};
