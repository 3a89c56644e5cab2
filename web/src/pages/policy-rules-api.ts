/** Types and calls of the policy selection rules and the per-customer policy (/api/v1/…). */
import { api } from '../api';
import { parseMinor } from '../portal/money';

export interface PolicyRule {
  policyKey: string;
  label?: string;
  when: {
    segments?: string[];
    customerKinds?: ('b2b' | 'b2c')[];
    minExposureMinor?: number;
    maxExposureMinor?: number;
    minRiskScore?: number;
    maxRiskScore?: number;
  };
}

export interface CustomerPolicy {
  customerId: string;
  policyKey: string | null;
  policyName: string | null;
  policyVersion: number | null;
  source: 'override' | 'rule' | 'none';
  ruleIndex: number | null;
  rule: PolicyRule | null;
  reason: string;
  overrideKey: string | null;
  exposureMinor: number;
}

export const rulesApi = {
  list: () => api<{ rules: PolicyRule[] }>('/dunning/policy-rules'),
  save: (rules: PolicyRule[]) => api<{ rules: PolicyRule[] }>('/dunning/policy-rules', { method: 'PUT', body: { rules } }),
  customerPolicy: (customerId: string) => api<CustomerPolicy>(`/customers/${customerId}/dunning-policy`),
  setOverride: (customerId: string, policyKey: string | null) =>
    api<void>(`/customers/${customerId}/dunning-policy`, { method: 'PUT', body: { policyKey } }),
};

/**
 * "1 500,50" → 150050 minor units (euros: the exposure conditions are compared with open
 * balances in minor units); null for an empty field, undefined for something that is not an amount.
 */
export function minorFromInput(text: string): number | null | undefined {
  if (text.replace(/[\s\u00a0\u202f]/g, '') === '') return null;
  return parseMinor(text, 'EUR') ?? undefined;
}

/** 150050 → "1500,50" (or "1500.50" in English), 150000 → "1500". */
export function minorToInput(minor: number | undefined, lang: 'fr' | 'en'): string {
  if (minor === undefined) return '';
  const units = Math.trunc(minor / 100);
  const cents = minor % 100;
  return cents === 0 ? String(units) : `${units}${lang === 'fr' ? ',' : '.'}${String(cents).padStart(2, '0')}`;
}
