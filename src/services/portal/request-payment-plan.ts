import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import { cancelWaitingPlans, insertPaymentPlan, listPaymentPlans } from '../../db/queries/payment-plans.js';
import type { Database } from '../../db/schema/index.js';
import { type IsoDate, zonedParts } from '../../domain/calendar/index.js';
import { decidePlanRequest, paymentPlanPolicyOf } from '../../domain/payment-plans/index.js';
import type { PaymentPlanRequest } from '../../domain/portal/index.js';
import { AppError } from '../../errors.js';
import { computeInvoicesPenalties } from '../law/invoices-penalties.js';
import type { PlanCoverage } from '../payment-plans/plan-view.js';
import { type PaymentPlanView, toPlanView } from '../payment-plans/plan-view.js';
import type { PortalAccess } from './portal-access.js';

export interface RequestPaymentPlanInput {
  instalments: number;
  firstDate: IsoDate;
  /** Minor units, in the currency of the open items. */
  downPaymentMinor?: number;
}

export interface RequestPaymentPlanResult {
  plan: PaymentPlanView;
  /** Set when the plan waits for a collector ('pending_approval'). */
  taskId: string | null;
  /** Earlier plans of the customer still waiting, replaced by this one. */
  replaced: string[];
}

/**
 * The debtor asks to pay what is owed (every open, undisputed item) in instalments. Within
 * the organisation's auto-accept rules (settings.portal.paymentPlan) the plan is stored as
 * 'proposed', ready for the debtor's acceptance; outside them but within the approval limits
 * (settings.portal.paymentPlanLimits) it is 'pending_approval' and the collector gets a task;
 * beyond the limits it is refused with every rule it breaks and the nearest plan that fits.
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
  const active = await listPaymentPlans(trx, orgId, { customerId, statuses: ['active'] });
  if (active.length > 0) {
    throw new AppError('CONFLICT', 'A payment plan is already running for these invoices', [
      { field: 'instalments', value: active[0]?.id, reason: 'an active payment plan exists' },
    ]);
  }
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
    total: { amount: items.reduce((s, i) => s + Number(i.balance_minor), 0), currency },
    instalments: input.instalments,
    firstDate: input.firstDate,
    ...(input.downPaymentMinor ? { downPayment: { amount: input.downPaymentMinor, currency } } : {}),
  };
  const policy = paymentPlanPolicyOf(org.settings);
  const decision = decidePlanRequest(request, today, policy);
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
  const replaced = await cancelWaitingPlans(trx, orgId, customerId, now);
  const invoiceIds = items.map((i) => i.id);
  // The total is the principal. What it leaves out (penalties and indemnities accrued to the
  // agreement date) is stated with its amount, shown to the debtor before acceptance.
  const penalties = await computeInvoicesPenalties(trx, orgId, invoiceIds, today);
  let penaltiesMinor = 0;
  let indemnitiesMinor = 0;
  for (const r of penalties.values()) {
    if (!r.ok) continue;
    penaltiesMinor += r.statement.totals.interestOutstanding.amount;
    indemnitiesMinor += r.statement.totals.indemnityOutstanding.amount;
  }
  const covers: PlanCoverage = {
    basis: 'principal',
    principalMinor: request.total.amount,
    penaltiesNotIncludedMinor: penaltiesMinor,
    indemnitiesNotIncludedMinor: indemnitiesMinor,
    asOf: today,
    currency,
  };
  const schedule = decision.schedule.map((s) => ({
    seq: s.seq,
    dueDate: s.dueDate,
    amountMinor: s.amount.amount,
  }));
  const row = await insertPaymentPlan(trx, orgId, {
    customerId,
    status: decision.status,
    invoiceIds,
    currency,
    totalMinor: request.total.amount,
    graceDays: policy.graceDays,
    request: {
      instalments: input.instalments,
      firstDate: input.firstDate,
      downPaymentMinor: input.downPaymentMinor ?? 0,
      covers,
    },
    createdBy: 'portal',
    schedule,
  });
  let taskId: string | null = null;
  if (decision.status === 'pending_approval') {
    const task = await trx
      .insertInto('tasks')
      .values({
        org_id: orgId,
        customer_id: customerId,
        kind: 'follow_up',
        title: `Approve payment plan: ${input.instalments} instalment(s) from ${input.firstDate}`,
        detail: JSON.stringify({ source: 'portal', planId: row.id, invoiceIds, schedule }),
        due_date: today,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    taskId = task.id;
  }
  await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind: 'payment_plan',
    channel: 'portal',
    summary: `payment plan requested (${decision.status}): ${schedule.length} payment(s) from ${input.firstDate}`,
    payload: {
      planId: row.id,
      status: decision.status,
      invoiceIds,
      invoiceNumbers: items.map((i) => i.invoice_number),
      totalMinor: request.total.amount,
      currency,
      schedule,
      taskId,
      replaced,
      linkId: access.linkId,
    },
    contentSha256: null,
    at: now,
  });
  const instalments = schedule.map((s) => ({
    org_id: orgId,
    plan_id: row.id,
    seq: s.seq,
    due_date: s.dueDate,
    amount_minor: s.amountMinor,
    paid_minor: 0,
    status: 'due' as const,
  }));
  return { plan: toPlanView(row, instalments), taskId, replaced };
}
