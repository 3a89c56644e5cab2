import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { formatMinor } from '../portal/money';
import { dunningApi } from './dunning-api';
import { rulesApi } from './policy-rules-api';
import { useRulesText } from './policy-rules.i18n';

const FOLLOW_RULES = '';

/** "Politique de relance" on the customer file: the policy in force, why, and an admin's override. */
export function CustomerDunningPolicy({ customerId }: { customerId: string }) {
  const { locale } = useI18n();
  const t = useRulesText();
  const session = useSession();
  const isAdmin = session.user.role === 'admin';
  const qc = useQueryClient();
  const inForce = useQuery({
    queryKey: ['customer-dunning-policy', customerId],
    queryFn: () => rulesApi.customerPolicy(customerId),
  });
  const policies = useQuery({ queryKey: ['dunning-policies'], queryFn: dunningApi.policies, enabled: isAdmin });
  const [choice, setChoice] = useState<string | null>(null);
  const set = useMutation({
    mutationFn: (policyKey: string | null) => rulesApi.setOverride(customerId, policyKey),
    onSuccess: async () => {
      setChoice(null);
      await qc.invalidateQueries({ queryKey: ['customer-dunning-policy', customerId] });
      await qc.invalidateQueries({ queryKey: ['customer-file', customerId] });
    },
  });
  const p = inForce.data;
  if (!p) return null;
  const selected = choice ?? p.overrideKey ?? FOLLOW_RULES;
  const why =
    p.source === 'override'
      ? t('byOverride')
      : p.source === 'rule' && p.ruleIndex !== null
        ? `${t('byRule')} ${p.ruleIndex + 1}${p.rule?.label ? ` (${p.rule.label})` : ''}`
        : t('noneMatches');

  return (
    <section className="card" aria-labelledby="cf-dunning-policy">
      <h2 id="cf-dunning-policy">{t('inForce')}</h2>
      <p data-testid="policy-in-force">
        <strong>{p.policyKey ? `${p.policyName ?? p.policyKey} (v${p.policyVersion ?? '?'})` : '—'}</strong> —{' '}
        <span data-testid="policy-why">{why}</span>{' '}
        <span className="muted">
          ({t('exposure')} {formatMinor(p.exposureMinor, 'EUR', locale)})
        </span>
      </p>
      {isAdmin && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            set.mutate(selected === FOLLOW_RULES ? null : selected);
          }}
        >
          <label>
            {t('force')}{' '}
            <select value={selected} onChange={(e) => setChoice(e.target.value)}>
              <option value={FOLLOW_RULES}>{t('followRules')}</option>
              {(policies.data?.items ?? []).map((x) => (
                <option key={x.key} value={x.key}>
                  {x.latest.name} ({x.key})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={set.isPending || selected === (p.overrideKey ?? FOLLOW_RULES)}>
            {t('apply')}
          </button>
          {set.error && (
            <span role="alert" className="error">
              {set.error instanceof ApiError ? (set.error.problem.detail ?? set.error.message) : set.error.message}
            </span>
          )}
        </form>
      )}
    </section>
  );
}
