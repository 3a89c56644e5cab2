import type { Kysely } from 'kysely';
import { instalmentsOfPlans, listPaymentPlans, type PlanFilters } from '../../db/queries/payment-plans.js';
import type { Database } from '../../db/schema/index.js';
import { type PaymentPlanView, toPlanView } from './plan-view.js';

/** Plans with their instalments, newest first: the portal (one customer) and the collector API. */
export async function listPlanViews(
  trx: Kysely<Database>,
  orgId: string,
  filters: PlanFilters,
): Promise<PaymentPlanView[]> {
  const plans = await listPaymentPlans(trx, orgId, filters);
  const instalments = await instalmentsOfPlans(
    trx,
    orgId,
    plans.map((p) => p.id),
  );
  return plans.map((p) => toPlanView(p, instalments.get(p.id) ?? []));
}
