import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  ensureDefaultPolicies,
  latestPolicyVersion,
  loadPolicies,
  replacePolicyRules,
  setCustomerPolicyOverride,
} from '../../db/queries/dunning-policies.js';
import type { Database } from '../../db/schema/index.js';
import type { PolicyRule } from '../../domain/dunning/index.js';
import { AppError, notFound } from '../../errors.js';

const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const score = z.number().int().min(0).max(100);

/** A selection rule as the API takes it: the first matching rule after the customer override wins. */
export const policyRuleSchema = z
  .object({
    policyKey: z.string().min(1).max(63),
    label: z.string().min(1).max(200).optional(),
    when: z
      .object({
        segments: z.array(z.string().min(1)).min(1).optional(),
        customerKinds: z
          .array(z.enum(['b2b', 'b2c']))
          .min(1)
          .optional(),
        minExposureMinor: minor.optional(),
        maxExposureMinor: minor.optional(),
        minRiskScore: score.optional(),
        maxRiskScore: score.optional(),
      })
      .strict(),
  })
  .meta({ id: 'DunningPolicyRule' });

export async function listPolicyRules(db: Kysely<Database>, orgId: string): Promise<PolicyRule[]> {
  await ensureDefaultPolicies(db, orgId);
  return (await loadPolicies(db, orgId)).rules;
}

async function requirePolicyKey(db: Kysely<Database>, orgId: string, key: string, field: string) {
  if ((await latestPolicyVersion(db, orgId, key)) === undefined)
    throw new AppError('VALIDATION', `no dunning policy "${key}"`, [{ field, reason: 'unknown policy key' }]);
}

/** Replace the ordered rules; every rule must name an existing policy and have sane bounds. */
export async function replaceRules(
  db: Kysely<Database>,
  orgId: string,
  rules: PolicyRule[],
): Promise<PolicyRule[]> {
  await ensureDefaultPolicies(db, orgId);
  for (const [i, r] of rules.entries()) {
    await requirePolicyKey(db, orgId, r.policyKey, `rules[${i}].policyKey`);
    const w = r.when;
    if (
      w.minExposureMinor !== undefined &&
      w.maxExposureMinor !== undefined &&
      w.minExposureMinor > w.maxExposureMinor
    )
      throw new AppError('VALIDATION', 'invalid rule', [
        { field: `rules[${i}].when.maxExposureMinor`, reason: 'must not be below minExposureMinor' },
      ]);
    if (w.minRiskScore !== undefined && w.maxRiskScore !== undefined && w.minRiskScore > w.maxRiskScore)
      throw new AppError('VALIDATION', 'invalid rule', [
        { field: `rules[${i}].when.maxRiskScore`, reason: 'must not be below minRiskScore' },
      ]);
  }
  await replacePolicyRules(db, orgId, rules);
  return rules;
}

/** Force a policy on one customer (its latest version applies), or null to follow the rules again. */
export async function setCustomerPolicy(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  policyKey: string | null,
): Promise<void> {
  await ensureDefaultPolicies(db, orgId);
  if (policyKey !== null) await requirePolicyKey(db, orgId, policyKey, 'policyKey');
  if (!(await setCustomerPolicyOverride(db, orgId, customerId, policyKey)))
    throw notFound('Customer', customerId);
}
