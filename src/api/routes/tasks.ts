import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getTask, listTasks, type TaskRow } from '../../db/queries/tasks.js';
import type { Role } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import { assignCustomer, assignTask } from '../../services/worklist/assign-work.js';
import { completeTask } from '../../services/worklist/complete-task.js';
import { type ApiDeps, inOrg } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import {
  idParam,
  iso,
  isoDate,
  isoOrNull,
  listQuery,
  pageOf,
  pageQuery,
  problemResponses,
  sortQuery,
} from '../schemas/common.js';
import { resolveAssignee, TASK_KINDS } from './worklist.js';

/** Collection work: viewers read, everyone else may assign, complete and log calls. */
export const collectionWriteRoles: readonly Role[] = ['admin', 'accountant', 'collector'];

export const taskSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(TASK_KINDS),
    title: z.string(),
    status: z.enum(['open', 'done', 'cancelled']),
    customer: z.object({ id: z.uuid(), name: z.string() }),
    invoice: z.object({ id: z.uuid(), invoiceNumber: z.string() }).nullable(),
    dueDate: isoDate,
    assignee: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
    detail: z.record(z.string(), z.unknown()),
    outcome: z.string().nullable(),
    createdAt: z.string(),
    doneAt: z.string().nullable(),
  })
  .meta({ id: 'Task' });

export function toTask(t: TaskRow): z.infer<typeof taskSchema> {
  return {
    id: t.id,
    kind: t.kind,
    title: t.title,
    status: t.status,
    customer: { id: t.customer_id, name: t.customer_name },
    invoice: t.invoice_id && t.invoice_number ? { id: t.invoice_id, invoiceNumber: t.invoice_number } : null,
    dueDate: t.due_date,
    assignee: t.assignee ? { id: t.assignee, name: t.assignee_name } : null,
    detail: t.detail ?? {},
    outcome: t.outcome,
    createdAt: iso(t.created_at),
    doneAt: isoOrNull(t.done_at),
  };
}

const collectorBody = z.uuid().nullable().describe('A user id, or null to unassign');

export const taskRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/tasks',
    {
      schema: {
        tags: ['worklist'],
        summary: 'Tasks for humans: calls, disputes, broken promises, decisions',
        querystring: z.object({
          status: listQuery(['open', 'done', 'cancelled'] as const).optional(),
          kind: listQuery(TASK_KINDS).optional(),
          assignee: z.string().min(1).max(100).optional().describe('A user id, "me" or "unassigned"'),
          customerId: z.uuid().optional(),
          dueBefore: isoDate.optional().describe('Due on or before'),
          sort: sortQuery(['dueDate', 'createdAt'], 'dueDate'),
          ...pageQuery,
        }),
        response: { 200: pageOf(taskSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { status, kind, assignee, customerId, dueBefore, sort, limit, cursor } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const page = await listTasks(
          trx,
          auth.orgId,
          { status, kinds: kind, assignee: resolveAssignee(assignee, auth.userId), customerId, dueBefore },
          { sort: sort.field, direction: sort.direction, limit, cursor },
        );
        return { items: page.items.map(toTask), nextCursor: page.nextCursor };
      });
    },
  );

  app.post(
    '/tasks/:id/assign',
    {
      schema: {
        tags: ['worklist'],
        summary: 'Give a task to a collector',
        params: idParam,
        body: z.object({ assignee: collectorBody }),
        response: { 200: taskSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, collectionWriteRoles, async (trx, auth) => {
        await assignTask(trx, auth.orgId, request.params.id, request.body.assignee);
        const t = await getTask(trx, auth.orgId, request.params.id);
        if (!t) throw notFound('Task', request.params.id);
        return toTask(t);
      }),
  );

  app.post(
    '/tasks/:id/complete',
    {
      schema: {
        tags: ['worklist'],
        summary: 'Close a task with its outcome (recorded in the evidence file)',
        params: idParam,
        body: z.object({ outcome: z.string().trim().min(1).max(2000) }),
        response: { 200: taskSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, collectionWriteRoles, async (trx, auth) => {
        await completeTask(trx, auth.orgId, request.params.id, request.body.outcome, auth, deps.now());
        const t = await getTask(trx, auth.orgId, request.params.id);
        if (!t) throw notFound('Task', request.params.id);
        return toTask(t);
      }),
  );

  app.post(
    '/customers/:id/assign',
    {
      schema: {
        tags: ['worklist'],
        summary: "Set the customer's collector (its items and tasks go to them)",
        params: idParam,
        body: z.object({ collector: collectorBody }),
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await inOrg(deps, request, collectionWriteRoles, (trx, auth) =>
        assignCustomer(trx, auth.orgId, request.params.id, request.body.collector),
      );
      return reply.status(204).send(null);
    },
  );
};
