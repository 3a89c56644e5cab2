import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  customerStatement,
  listCalls,
  listCustomerDocuments,
  listDisputes,
  listPauses,
  listPromises,
  policyInForce,
} from '../../db/queries/customer-file.js';
import { getCustomer } from '../../db/queries/customers.js';
import { listTasks } from '../../db/queries/tasks.js';
import { DISPUTE_REASON_CODES } from '../../domain/portal/index.js';
import { notFound } from '../../errors.js';
import { logCall, MAX_CALL_NOTE } from '../../services/worklist/log-call.js';
import { type ApiDeps, inOrg } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import {
  idParam,
  iso,
  isoDate,
  isoOrNull,
  moneySchema,
  problemResponses,
  toMoney,
} from '../schemas/common.js';
import { collectionWriteRoles, taskSchema, toTask } from './tasks.js';

const CALL_OUTCOMES = ['promise', 'dispute', 'no_answer', 'paid', 'other'] as const;

const logCallBody = z
  .object({
    outcome: z.enum(CALL_OUTCOMES),
    note: z.string().max(MAX_CALL_NOTE).nullish(),
    promiseDate: isoDate.optional().describe('Required when outcome is promise'),
    promiseAmountMinor: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Default: everything due on the items'),
    invoiceId: z.uuid().optional().describe('The invoice the call is about; required for a dispute'),
    disputeReason: z.enum(DISPUTE_REASON_CODES).optional().describe('Required when outcome is dispute'),
    taskId: z.uuid().optional().describe('The task this call answers: it is completed'),
  })
  .meta({ id: 'LogCall' });

const callResult = z.object({
  callId: z.uuid(),
  outcome: z.enum(CALL_OUTCOMES),
  promiseId: z.uuid().nullable(),
  disputeId: z.uuid().nullable(),
  followUpTaskId: z.uuid().nullable(),
  completedTaskId: z.uuid().nullable(),
  evidenceSeq: z.number().int(),
});

const customerFile = z
  .object({
    customerId: z.uuid(),
    creditHold: z.boolean(),
    notes: z.string().nullable(),
    assignedCollector: z.string().nullable(),
    policy: z.object({
      key: z.string().nullable(),
      version: z.number().int().nullable(),
      name: z.string().nullable(),
      caseStatus: z.string().nullable(),
      nextActionDate: isoDate.nullable(),
      overrideKey: z.string().nullable(),
    }),
    pauses: z.array(
      z.object({
        id: z.uuid(),
        invoice: z.object({ id: z.uuid(), invoiceNumber: z.string() }).nullable(),
        reason: z.string(),
        until: isoDate,
        createdBy: z.string().nullable(),
        createdAt: z.string(),
        cancelledAt: z.string().nullable(),
      }),
    ),
    promises: z.array(
      z.object({
        id: z.uuid(),
        invoiceIds: z.array(z.uuid()),
        amount: moneySchema,
        promisedDate: isoDate,
        graceDays: z.number().int(),
        status: z.string(),
        createdBy: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    disputes: z.array(
      z.object({
        id: z.uuid(),
        invoice: z.object({ id: z.uuid(), invoiceNumber: z.string() }),
        reasonCode: z.string(),
        comment: z.string().nullable(),
        status: z.string(),
        openedBy: z.string().nullable(),
        openedAt: z.string(),
      }),
    ),
    calls: z.array(
      z.object({
        id: z.uuid(),
        outcome: z.enum(CALL_OUTCOMES),
        note: z.string().nullable(),
        invoice: z.object({ id: z.uuid(), invoiceNumber: z.string() }).nullable(),
        loggedBy: z.string().nullable(),
        loggedAt: z.string(),
      }),
    ),
    documents: z.array(
      z.object({
        id: z.uuid(),
        invoiceId: z.uuid().nullable(),
        kind: z.string(),
        filename: z.string(),
        mimeType: z.string(),
        sizeBytes: z.number().int(),
        createdAt: z.string(),
      }),
    ),
    openTasks: z.array(taskSchema),
  })
  .meta({ id: 'CustomerFile' });

const statementSchema = z
  .object({
    lines: z.array(
      z.object({
        date: isoDate,
        kind: z.enum(['invoice', 'credit_note', 'payment']),
        id: z.uuid(),
        reference: z.string(),
        debit: moneySchema,
        credit: moneySchema,
        balance: moneySchema.describe('Running balance in this currency after the line'),
      }),
    ),
  })
  .meta({ id: 'Statement' });

const inv = (id: string | null, n: string | null) => (id && n ? { id, invoiceNumber: n } : null);

export const callRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.post(
    '/customers/:id/calls',
    {
      schema: {
        tags: ['worklist'],
        summary: 'Log a phone call: a promise pauses dunning, a dispute takes the invoice out of it',
        params: idParam,
        body: logCallBody,
        response: { 201: callResult, ...problemResponses },
      },
    },
    async (request, reply) => {
      const r = await inOrg(deps, request, collectionWriteRoles, (trx, auth) =>
        logCall(trx, auth.orgId, request.params.id, request.body, auth, deps.now()),
      );
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/customers/:id/file',
    {
      schema: {
        tags: ['worklist'],
        summary:
          "The collector's view of a customer: policy, pauses, promises, disputes, calls, documents, tasks",
        params: idParam,
        response: { 200: customerFile, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const id = request.params.id;
        const c = await getCustomer(trx, auth.orgId, id);
        if (!c) throw notFound('Customer', id);
        const policy = await policyInForce(trx, auth.orgId, id);
        const pauses = await listPauses(trx, auth.orgId, id);
        const promises = await listPromises(trx, auth.orgId, id);
        const disputes = await listDisputes(trx, auth.orgId, id);
        const calls = await listCalls(trx, auth.orgId, id);
        const documents = await listCustomerDocuments(trx, auth.orgId, id);
        const tasks = await listTasks(
          trx,
          auth.orgId,
          { status: ['open'], customerId: id },
          { sort: 'dueDate', direction: 'asc', limit: 100 },
        );
        return {
          customerId: id,
          creditHold: c.credit_hold,
          notes: c.notes,
          assignedCollector: c.assigned_collector,
          policy: {
            key: policy?.policy_key ?? null,
            version: policy?.policy_version ?? null,
            name: policy?.policy_name ?? null,
            caseStatus: policy?.case_status ?? null,
            nextActionDate: policy?.next_action_date ?? null,
            overrideKey: policy?.override_key ?? null,
          },
          pauses: pauses.map((p) => ({
            id: p.id,
            invoice: inv(p.invoice_id, p.invoice_number),
            reason: p.reason,
            until: p.until,
            createdBy: p.created_by,
            createdAt: iso(p.created_at),
            cancelledAt: isoOrNull(p.cancelled_at),
          })),
          promises: promises.map((p) => ({
            id: p.id,
            invoiceIds: p.invoice_ids,
            amount: toMoney(p.amount_minor, p.currency),
            promisedDate: p.promised_date,
            graceDays: p.grace_days,
            status: p.status,
            createdBy: p.created_by,
            createdAt: iso(p.created_at),
          })),
          disputes: disputes.map((d) => ({
            id: d.id,
            invoice: { id: d.invoice_id, invoiceNumber: d.invoice_number },
            reasonCode: d.reason_code,
            comment: d.comment,
            status: d.status,
            openedBy: d.opened_by,
            openedAt: iso(d.opened_at),
          })),
          calls: calls.map((l) => ({
            id: l.id,
            outcome: l.outcome,
            note: l.note,
            invoice: inv(l.invoice_id, l.invoice_number),
            loggedBy: l.logged_by,
            loggedAt: iso(l.logged_at),
          })),
          documents: documents.map((d) => ({
            id: d.id,
            invoiceId: d.invoice_id,
            kind: d.kind,
            filename: d.filename,
            mimeType: d.mime_type,
            sizeBytes: Number(d.size_bytes),
            createdAt: iso(d.created_at),
          })),
          openTasks: tasks.items.map(toTask),
        };
      }),
  );

  app.get(
    '/customers/:id/statement',
    {
      schema: {
        tags: ['worklist'],
        summary: 'Statement of account: invoices, credit notes and payments with the running balance',
        params: idParam,
        response: { 200: statementSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const c = await getCustomer(trx, auth.orgId, request.params.id);
        if (!c) throw notFound('Customer', request.params.id);
        const lines = await customerStatement(trx, auth.orgId, c.id);
        return {
          lines: lines.map((l) => ({
            date: l.date,
            kind: l.kind,
            id: l.id,
            reference: l.reference,
            debit: toMoney(Number(l.debit_minor), l.currency),
            credit: toMoney(Number(l.credit_minor), l.currency),
            balance: toMoney(Number(l.balance_minor), l.currency),
          })),
        };
      }),
  );
};
