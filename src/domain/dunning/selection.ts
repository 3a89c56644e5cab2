import { type CustomerKind, type DunningPolicy, latestVersion } from './policy.js';

/**
 * Which policy applies to a customer: a per-customer override first, then the first rule
 * that matches (segment, customer kind, exposure, risk score). Criteria a rule does not
 * state match anything; a risk criterion only matches when the customer has a score.
 */
export interface PolicyRule {
  policyKey: string;
  /** Shown in previews and on the timeline ("strategic accounts are handled by hand"). */
  label?: string;
  when: {
    segments?: string[];
    customerKinds?: CustomerKind[];
    minExposureMinor?: number;
    maxExposureMinor?: number;
    minRiskScore?: number;
    maxRiskScore?: number;
  };
}

export interface SelectionCustomer {
  kind: CustomerKind;
  segment: string;
  /** 0–100 when a scoring model has produced one, null otherwise. */
  riskScore: number | null;
  /** customers.dunning_policy_key: chosen by a user for this customer. */
  policyOverride: string | null;
}

export interface PolicySelection {
  policyKey: string;
  /** -1 for the override. */
  ruleIndex: number;
  reason: string;
}

/** `exposure` is the customer's total open balance in minor units (all its open items). */
export function selectPolicy(
  rules: PolicyRule[],
  customer: SelectionCustomer,
  exposure: number,
): PolicySelection | null {
  if (customer.policyOverride) {
    return {
      policyKey: customer.policyOverride,
      ruleIndex: -1,
      reason: `per-customer override: ${customer.policyOverride}`,
    };
  }
  for (const [i, rule] of rules.entries()) {
    const w = rule.when;
    if (w.segments && !w.segments.includes(customer.segment)) continue;
    if (w.customerKinds && !w.customerKinds.includes(customer.kind)) continue;
    if (w.minExposureMinor !== undefined && exposure < w.minExposureMinor) continue;
    if (w.maxExposureMinor !== undefined && exposure > w.maxExposureMinor) continue;
    if (w.minRiskScore !== undefined && (customer.riskScore === null || customer.riskScore < w.minRiskScore))
      continue;
    if (w.maxRiskScore !== undefined && (customer.riskScore === null || customer.riskScore > w.maxRiskScore))
      continue;
    return {
      policyKey: rule.policyKey,
      ruleIndex: i,
      reason: `rule ${i + 1}${rule.label ? ` (${rule.label})` : ''} selects ${rule.policyKey}`,
    };
  }
  return null;
}

/**
 * The selection and the policy version it names (the newest). `policy` is undefined when
 * the selected key has no stored policy: the customer is not dunned, but the reason is shown.
 */
export function choosePolicy(
  rules: PolicyRule[],
  policies: DunningPolicy[],
  customer: SelectionCustomer,
  exposure: number,
): { selection: PolicySelection; policy: DunningPolicy | undefined } | null {
  const selection = selectPolicy(rules, customer, exposure);
  return selection ? { selection, policy: latestVersion(policies, selection.policyKey) } : null;
}
