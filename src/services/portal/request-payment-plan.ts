import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { type IsoDate, zonedParts } from '../../domain/calendar/index.js';
import {
  decidePaymentPlan,
  type PaymentPlanRequest,
  type PlanInstalment,
  paymentPlanRulesOf,
} from '../../domain/portal/index.js';
import { AppError } from '../../errors.js';
import type { PortalAccess } from './portal-access.js';

export interface RequestPaymentPlanInput {
  instalments: number;
  firstDate: IsoDate;
  /** Minor units, in the currency of the open items. */
  downPaymentMinor?: number;
}

export interface RequestPaymentPlanResult {
  status: 'pending_approval';
  taskId: string;
  invoiceIds: string[];
  schedule: PlanInstalment[];
}

/**
 * The debtor asks to pay what is owed (every open, undisputed item) in instalments. A
 * request outside the organisation's rules (settings.portal.paymentPlan) is refused with
 * every rule it breaks and the nearest plan that fits. A request within them is recorded on
 * the timeline and sent to the collector as a task to set the plan up; the plan itself
 * (acceptance, instalment tracking) is not stored by this use case.
 */
export async function requestPaymentPlan(
  trx: Kysely<Database>,
  access: PortalAccess,
  input: RequestPaymentPlanInput,
  now: Date,
): Promise<RequestPaymentPlanResult> {
  const { orgId, customerId } = access;
  const org = await getOrganisation(trx, orgId);
  if (!org) throw new AppError('NOT_FOUND', 'Organisation not found');
  const today = zonedParts(now, org.time_zone).date;
  const items = await trx
    .selectFrom('invoices')
    .select(['id', 'invoice_number', 'balance_minor', 'currency'])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('balance_minor', '>', 0)
    .where('disputed', '=', false)
    .orderBy('due_date')
    .execute();
  if (items.length === 0) {
    throw new AppError('UNPROCESSABLE', 'Nothing is due outside disputes: there is nothing to spread', [
      { field: 'instalments', reason: 'no undisputed invoice with a balance due' },
    ]);
  }
  const currencies = [...new Set(items.map((i) => i.currency))];
  if (currencies.length > 1) {
    throw new AppError('UNPROCESSABLE', 'A payment plan covers invoices in one currency', [
      { field: 'instalments', value: currencies.join(','), reason: 'open items are in several currencies' },
    ]);
  }
  const currency = currencies[0] as string;
  const request: PaymentPlanRequest = {
    total: { amount: items.reduce((s, i) => s + i.balance_minor, 0), currency },
    instalments: input.instalments,
    firstDate: input.firstDate,
    ...(input.downPaymentMinor ? { downPayment: { amount: input.downPaymentMinor, currency } } : {}),
  };
  const decision = decidePaymentPlan(request, today, paymentPlanRulesOf(org.settings));
  if (!decision.ok) {
    const first = decision.broken[0];
    throw new AppError(
      'UNPROCESSABLE',
      `The plan breaks the rule ${first?.rule}: ${first?.field} ${first?.reason}`,
      decision.broken.map((b) => ({ field: b.field, reason: `${b.rule}: ${b.reason}` })),
      {
        rules: decision.broken.map((b) => b.rule),
        nearestPlan: decision.nearest
          ? {
              instalments: decision.nearest.request.instalments,
              firstDate: decision.nearest.request.firstDate,
              downPaymentMinor: decision.nearest.request.downPayment?.amount ?? 0,
              schedule: decision.nearest.schedule,
            }
          : null,
      },
    );
  }
  const invoiceIds = items.map((i) => i.id);
  const task = await trx
    .insertInto('tasks')
    .values({
      org_id: orgId,
      customer_id: customerId,
      kind: 'follow_up',
      title: `Payment plan requested: ${input.instalments} instalment(s) from ${input.firstDate}`,
      detail: JSON.stringify({ source: 'portal', invoiceIds, schedule: decision.schedule }),
      due_date: today,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind: 'note',
    channel: 'portal',
    summary: `payment plan requested: ${decision.schedule.length} payment(s) from ${input.firstDate}`,
    payload: {
      invoiceIds,
      invoiceNumbers: items.map((i) => i.invoice_number),
      schedule: decision.schedule,
      taskId: task.id,
      linkId: access.linkId,
    },
    contentSha256: null,
    at: now,
  });
  return { status: 'pending_approval', taskId: task.id, invoiceIds, schedule: decision.schedule };
}
