import type { PolicyRule } from './selection.js';

/**
 * Which policy the next dunning run would apply to one customer, and why: the reply of
 * GET /customers/:id/dunning-policy. Shared with the web app, which shows it on the
 * customer file, so the two cannot drift apart.
 */
export interface CustomerPolicyExplanation {
  customerId: string;
  /** The key the next run would use, null when no rule matches (the customer is not dunned). */
  policyKey: string | null;
  policyName: string | null;
  policyVersion: number | null;
  source: 'override' | 'rule' | 'none';
  /** 0-based position of the matching rule; null for an override or no match. */
  ruleIndex: number | null;
  rule: PolicyRule | null;
  reason: string;
  overrideKey: string | null;
  /** Open balance used by the exposure conditions, in minor units, all currencies summed as the planner does. */
  exposureMinor: number;
}
