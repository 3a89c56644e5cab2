import type { IsoDate } from '../calendar/index.js';
import {
  brokenPlanRules,
  decidePaymentPlan,
  type PaymentPlanDecision,
  type PaymentPlanRequest,
  type PaymentPlanRules,
  type PlanInstalment,
  paymentPlanRulesOf,
} from '../portal/payment-plan.js';

/**
 * Two sets of rules: the auto-accept rules (settings.portal.paymentPlan) under which a plan
 * is offered to the debtor at once, and the approval limits (settings.portal.paymentPlanLimits)
 * up to which a collector may still agree to it. Without limits configured, they equal the
 * auto-accept rules: nothing waits for a human unless the organisation widens them.
 */
export interface PaymentPlanPolicy {
  autoAccept: PaymentPlanRules;
  limits: PaymentPlanRules;
  /** Days after an instalment's due date before it counts as missed. */
  graceDays: number;
}

export const DEFAULT_PLAN_GRACE_DAYS = 5;

export function paymentPlanPolicyOf(settings: Record<string, unknown> | null | undefined): PaymentPlanPolicy {
  const autoAccept = paymentPlanRulesOf(settings);
  const portal = (settings?.portal ?? {}) as Record<string, unknown>;
  const limitsRaw = portal.paymentPlanLimits;
  // The limits are read like the rules, each field defaulting to the auto-accept value, and
  // never narrower than it: a limit below the auto-accept rule would refuse what is offered.
  const limits =
    limitsRaw && typeof limitsRaw === 'object'
      ? widen(autoAccept, paymentPlanRulesOf({ portal: { paymentPlan: { ...autoAccept, ...limitsRaw } } }))
      : autoAccept;
  const g = (portal.paymentPlan as Record<string, unknown> | undefined)?.graceDays;
  const graceDays =
    typeof g === 'number' && Number.isInteger(g) && g >= 0 && g <= 60 ? g : DEFAULT_PLAN_GRACE_DAYS;
  return { autoAccept, limits, graceDays };
}

function widen(a: PaymentPlanRules, b: PaymentPlanRules): PaymentPlanRules {
  return {
    maxInstalments: Math.max(a.maxInstalments, b.maxInstalments),
    maxDurationDays: Math.max(a.maxDurationDays, b.maxDurationDays),
    minInstalmentMinor: Math.min(a.minInstalmentMinor, b.minInstalmentMinor),
    maxFirstDateDays: Math.max(a.maxFirstDateDays, b.maxFirstDateDays),
    minDownPaymentPercent:
      Number(b.minDownPaymentPercent) < Number(a.minDownPaymentPercent)
        ? b.minDownPaymentPercent
        : a.minDownPaymentPercent,
  };
}

export type PlanRequestOutcome =
  | { ok: true; status: 'proposed' | 'pending_approval'; schedule: PlanInstalment[] }
  | Extract<PaymentPlanDecision, { ok: false }>;

/**
 * Within the auto-accept rules: 'proposed' (the debtor may accept it now). Outside them but
 * within the limits: 'pending_approval'. Beyond the limits: refused, with the rules broken
 * and the nearest plan the debtor could have at once (under the auto-accept rules).
 */
export function decidePlanRequest(
  req: PaymentPlanRequest,
  today: IsoDate,
  policy: PaymentPlanPolicy,
): PlanRequestOutcome {
  const auto = decidePaymentPlan(req, today, policy.autoAccept);
  if (auto.ok) return { ok: true, status: 'proposed', schedule: auto.schedule };
  if (brokenPlanRules(req, today, policy.limits).length === 0) {
    const within = decidePaymentPlan(req, today, policy.limits);
    if (within.ok) return { ok: true, status: 'pending_approval', schedule: within.schedule };
  }
  return auto;
}
