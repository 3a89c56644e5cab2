import { type Kysely, sql } from 'kysely';
import { ensureDefaultPolicies, loadPolicies } from '../../db/queries/dunning-policies.js';
import type { Database } from '../../db/schema/index.js';
import { type CustomerPolicyExplanation, choosePolicy } from '../../domain/dunning/index.js';
import { notFound } from '../../errors.js';

/**
 * Which policy the next dunning run would apply to one customer, and why: the same
 * selection as the planner (override first, then the first matching rule) over the same
 * exposure (open balances, written-off items excluded) and the customer's latest risk score
 * (a customer never scored matches no risk condition, as in the planner).
 */
export async function explainCustomerPolicy(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
): Promise<CustomerPolicyExplanation> {
  const c = await db
    .selectFrom('customers')
    .select(['id', 'kind', 'segment', 'dunning_policy_key'])
    .where('org_id', '=', orgId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!c) throw notFound('Customer', customerId);
  await ensureDefaultPolicies(db, orgId);
  const { policies, rules } = await loadPolicies(db, orgId);
  const exposure = await sql<{ n: string | null }>`
    select sum(balance_minor)::text as n from invoices
    where org_id = ${orgId} and customer_id = ${customerId} and balance_minor > 0 and status <> 'written_off'`.execute(
    db,
  );
  const exposureMinor = Number(exposure.rows[0]?.n ?? 0);
  const risk = await db
    .selectFrom('customer_risk_scores')
    .select('score')
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .orderBy('scored_on', 'desc')
    .limit(1)
    .executeTakeFirst();
  const chosen = choosePolicy(
    rules,
    policies,
    {
      kind: c.kind,
      segment: c.segment,
      riskScore: risk?.score ?? null,
      policyOverride: c.dunning_policy_key,
    },
    exposureMinor,
  );
  const selection = chosen?.selection;
  const policy = chosen?.policy;
  const source = !selection ? 'none' : selection.ruleIndex < 0 ? 'override' : 'rule';
  return {
    customerId,
    policyKey: selection?.policyKey ?? null,
    policyName: policy?.name ?? null,
    policyVersion: policy?.version ?? null,
    source,
    ruleIndex: source === 'rule' && selection ? selection.ruleIndex : null,
    rule: source === 'rule' && selection ? (rules[selection.ruleIndex] ?? null) : null,
    reason: selection?.reason ?? 'no rule matches: the customer is not dunned',
    overrideKey: c.dunning_policy_key,
    exposureMinor,
  };
}
