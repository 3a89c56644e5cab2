/** Types and calls of the policy selection rules and the per-customer policy (/api/v1/…). */
import type { CustomerPolicyExplanation } from '../../../src/domain/dunning/customer-policy-explanation';
import type { PolicyRule } from '../../../src/domain/dunning/selection';
import { api } from '../api';
import { parseMinor } from '../portal/money';

/** The server's own types (src/domain/dunning), so the page follows any change to the reply. */
export type { PolicyRule };

export const rulesApi = {
  list: () => api<{ rules: PolicyRule[] }>('/dunning/policy-rules'),
  save: (rules: PolicyRule[]) => api<{ rules: PolicyRule[] }>('/dunning/policy-rules', { method: 'PUT', body: { rules } }),
  customerPolicy: (customerId: string) => api<CustomerPolicyExplanation>(`/customers/${customerId}/dunning-policy`),
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
