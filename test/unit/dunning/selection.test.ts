import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICIES,
  DEFAULT_POLICY_RULES,
  FR_B2B_STANDARD,
  FR_B2C_STANDARD,
} from '../../../src/domain/dunning/default-policies.js';
import { latestVersion, validatePolicy } from '../../../src/domain/dunning/policy.js';
import { type PolicyRule, selectPolicy } from '../../../src/domain/dunning/selection.js';

const rules = [...DEFAULT_POLICY_RULES];
const who = (over: Partial<Parameters<typeof selectPolicy>[1]> = {}) => ({
  kind: 'b2b' as const,
  segment: 'standard',
  riskScore: null,
  policyOverride: null,
  ...over,
});

describe('policy selection', () => {
  it('gives a business customer the B2B policy', () => {
    expect(selectPolicy(rules, who(), 1000)?.policyKey).toBe('FR-B2B-standard');
  });

  it('gives a consumer the B2C policy', () => {
    const s = selectPolicy(rules, who({ kind: 'b2c' }), 1000);
    expect(s).toEqual({
      policyKey: 'FR-B2C-standard',
      ruleIndex: 1,
      reason: 'rule 2 (consumers) selects FR-B2C-standard',
    });
  });

  it('gives a strategic customer the conciliatory policy whatever its kind', () => {
    expect(selectPolicy(rules, who({ segment: 'strategic', kind: 'b2c' }), 0)?.policyKey).toBe(
      'FR-conciliatory',
    );
  });

  it('lets a per-customer override win over every rule', () => {
    const s = selectPolicy(rules, who({ segment: 'strategic', policyOverride: 'FR-B2B-standard' }), 0);
    expect(s).toMatchObject({ policyKey: 'FR-B2B-standard', ruleIndex: -1 });
  });

  it('selects by exposure bounds', () => {
    const byAmount: PolicyRule[] = [
      { policyKey: 'big', when: { minExposureMinor: 1_000_000 } },
      { policyKey: 'small', when: { maxExposureMinor: 999_999 } },
    ];
    expect(selectPolicy(byAmount, who(), 1_000_000)?.policyKey).toBe('big');
    expect(selectPolicy(byAmount, who(), 999_999)?.policyKey).toBe('small');
  });

  it('matches a risk rule only when the customer has a score', () => {
    const byRisk: PolicyRule[] = [
      { policyKey: 'risky', when: { minRiskScore: 70 } },
      { policyKey: 'normal', when: {} },
    ];
    expect(selectPolicy(byRisk, who({ riskScore: null }), 0)?.policyKey).toBe('normal');
    expect(selectPolicy(byRisk, who({ riskScore: 69 }), 0)?.policyKey).toBe('normal');
    expect(selectPolicy(byRisk, who({ riskScore: 70 }), 0)?.policyKey).toBe('risky');
  });

  it('returns null when no rule matches', () => {
    expect(selectPolicy([{ policyKey: 'x', when: { segments: ['vip'] } }], who(), 0)).toBeNull();
  });
});

describe('policies as data', () => {
  it('ships valid default policies', () => {
    for (const p of DEFAULT_POLICIES) expect(validatePolicy(p)).toEqual([]);
  });

  it('times the default B2B steps at J-5, J+7, J+15, J+30 and J+45', () => {
    expect(FR_B2B_STANDARD.steps.map((s) => [s.key, s.offsetDays])).toEqual([
      ['courtesy', -5],
      ['first_reminder', 7],
      ['second_reminder', 15],
      ['formal_notice', 30],
      ['escalation', 45],
    ]);
  });

  it('keeps the 40 € indemnity out of the consumer templates', () => {
    const b2c = FR_B2C_STANDARD.steps.map((s) => s.templateKey);
    expect(b2c).toContain('second_reminder_b2c');
    expect(b2c).not.toContain('second_reminder_b2b');
    expect(b2c).not.toContain('formal_notice_b2b');
  });

  it('reports every structural problem of an edited policy', () => {
    const broken = {
      ...FR_B2B_STANDARD,
      version: 0,
      steps: [
        {
          ...FR_B2B_STANDARD.steps[1],
          key: 'Bad Key',
          channels: [],
        } as (typeof FR_B2B_STANDARD.steps)[number],
        {
          ...FR_B2B_STANDARD.steps[0],
          conditions: { minAmountMinor: -1 },
        } as (typeof FR_B2B_STANDARD.steps)[number],
      ],
    };
    expect(validatePolicy(broken).map((p) => p.field)).toEqual([
      'version',
      'steps[0].key',
      'steps[0].channels',
      'steps[1].offsetDays',
      'steps[1].conditions.minAmountMinor',
    ]);
  });

  it('finds the latest version of a policy key', () => {
    const v2 = { ...FR_B2B_STANDARD, id: 'v2', version: 2 };
    expect(latestVersion([FR_B2B_STANDARD, v2, FR_B2C_STANDARD], 'FR-B2B-standard')?.id).toBe('v2');
    expect(latestVersion([FR_B2C_STANDARD], 'FR-B2B-standard')).toBeUndefined();
  });
});
