import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getPaymentPlan, instalmentsOfPlans, setPlanStatus } from '../../db/queries/payment-plans.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type PaymentPlanView, toPlanView } from './plan-view.js';

/**
 * A collector agrees to a plan that was outside the auto-accept rules: it becomes
 * 'proposed', and the debtor can accept it on the portal (the agreement binds only once the
 * debtor accepts). The collector's open "approve" task for it is closed.
 */
export async function approvePaymentPlan(
  trx: Kysely<Database>,
  orgId: string,
  planId: string,
  actor: string,
  now: Date,
): Promise<PaymentPlanView> {
  const plan = await getPaymentPlan(trx, orgId, planId, { forUpdate: true });
  if (!plan) throw new AppError('NOT_FOUND', `Payment plan ${planId} not found`);
  if (plan.status !== 'pending_approval') {
    throw new AppError(
      'CONFLICT',
      `The plan is ${plan.status}: only a plan pending approval can be approved`,
      [{ field: 'id', value: planId, reason: `status is ${plan.status}` }],
    );
  }
  await setPlanStatus(trx, orgId, plan.id, { status: 'proposed', approved_at: now, approved_by: actor });
  await trx
    .updateTable('tasks')
    .set({ status: 'done', done_at: now, outcome: 'payment plan approved' })
    .where('org_id', '=', orgId)
    .where('customer_id', '=', plan.customer_id)
    .where('status', '=', 'open')
    .where((eb) => eb(eb.ref('detail', '->>').key('planId'), '=', plan.id))
    .execute();
  await appendEvidenceEntry(trx, orgId, {
    customerId: plan.customer_id,
    kind: 'payment_plan',
    channel: null,
    summary: 'payment plan approved by the creditor: offered to the debtor for acceptance',
    payload: { planId: plan.id, status: 'proposed', approvedBy: actor },
    contentSha256: null,
    at: now,
  });
  const instalments = (await instalmentsOfPlans(trx, orgId, [plan.id])).get(plan.id) ?? [];
  return toPlanView({ ...plan, status: 'proposed', approved_at: now, approved_by: actor }, instalments);
}
