import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import type { PolicyListItem } from './dunning-api';
import { minorFromInput, minorToInput, type PolicyRule, rulesApi } from './policy-rules-api';
import { type RulesKey, useRulesText } from './policy-rules.i18n';
import './letters.css';

const SEGMENTS = ['strategic', 'standard'];
const KINDS = ['b2b', 'b2c'] as const;

interface DraftRule {
  uid: number;
  policyKey: string;
  label: string;
  segments: string[];
  kinds: ('b2b' | 'b2c')[];
  minExposure: string;
  maxExposure: string;
  minRisk: string;
  maxRisk: string;
}

type NumberField = 'minExposure' | 'maxExposure' | 'minRisk' | 'maxRisk';
/** Which draft field an API condition name belongs to, to put the server's reason next to it. */
const FIELD_OF: Record<string, NumberField | 'policyKey' | 'label' | 'segments' | 'kinds'> = {
  policyKey: 'policyKey',
  label: 'label',
  segments: 'segments',
  customerKinds: 'kinds',
  minExposureMinor: 'minExposure',
  maxExposureMinor: 'maxExposure',
  minRiskScore: 'minRisk',
  maxRiskScore: 'maxRisk',
};

let nextUid = 1;
function toDraft(r: PolicyRule, lang: 'fr' | 'en'): DraftRule {
  return {
    uid: nextUid++,
    policyKey: r.policyKey,
    label: r.label ?? '',
    segments: r.when.segments ?? [],
    kinds: r.when.customerKinds ?? [],
    minExposure: minorToInput(r.when.minExposureMinor, lang),
    maxExposure: minorToInput(r.when.maxExposureMinor, lang),
    minRisk: r.when.minRiskScore === undefined ? '' : String(r.when.minRiskScore),
    maxRisk: r.when.maxRiskScore === undefined ? '' : String(r.when.maxRiskScore),
  };
}

type RuleErrors = Map<number, Map<string, string>>;

/** Drafts to API rules, or the fields that are not numbers (checked here, bounds by the server). */
function toRules(drafts: DraftRule[], t: (k: RulesKey) => string): { rules: PolicyRule[]; errors: RuleErrors } {
  const errors: RuleErrors = new Map();
  const fail = (i: number, field: string, reason: string) => {
    const m = errors.get(i) ?? new Map<string, string>();
    m.set(field, reason);
    errors.set(i, m);
  };
  const rules = drafts.map((d, i) => {
    const when: PolicyRule['when'] = {};
    if (d.segments.length) when.segments = d.segments;
    if (d.kinds.length) when.customerKinds = d.kinds;
    for (const [field, key] of [
      ['minExposure', 'minExposureMinor'],
      ['maxExposure', 'maxExposureMinor'],
    ] as const) {
      const v = minorFromInput(d[field]);
      if (v === undefined) fail(i, field, t('badAmount'));
      else if (v !== null) when[key] = v;
    }
    for (const [field, key] of [
      ['minRisk', 'minRiskScore'],
      ['maxRisk', 'maxRiskScore'],
    ] as const) {
      const s = d[field].trim();
      if (s === '') continue;
      if (!/^\d{1,3}$/.test(s) || Number(s) > 100) fail(i, field, t('badScore'));
      else when[key] = Number(s);
    }
    return { policyKey: d.policyKey, ...(d.label.trim() ? { label: d.label.trim() } : {}), when };
  });
  return { rules, errors };
}

/** "rules[2].when.maxExposureMinor" (use case) or "rules.2.when.maxExposureMinor" (schema) → rule 2, maxExposure. */
function serverErrors(err: unknown): { byRule: RuleErrors; general: string[] } {
  const byRule: RuleErrors = new Map();
  const general: string[] = [];
  if (!(err instanceof ApiError)) return { byRule, general: err instanceof Error ? [err.message] : [] };
  for (const e of err.problem.errors ?? []) {
    const m = /^(?:body\.)?rules(?:\[(\d+)\]|\.(\d+))(?:\.when)?\.?(\w+)?/.exec(e.field ?? '');
    const index = m ? Number(m[1] ?? m[2]) : Number.NaN;
    if (!m || Number.isNaN(index)) {
      general.push(`${e.field ?? ''} ${e.reason}`.trim());
      continue;
    }
    const field = FIELD_OF[m[3] ?? ''] ?? 'rule';
    const fields = byRule.get(index) ?? new Map<string, string>();
    fields.set(field, e.reason);
    byRule.set(index, fields);
  }
  if (!err.problem.errors?.length) general.push(err.message);
  return { byRule, general };
}

function FieldError({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null;
  return (
    <span id={id} className="error field-error" role="alert">
      {text}
    </span>
  );
}

/** The ordered policy selection rules: add, remove, reorder, edit, saved as a whole. */
export function PolicyRulesEditor({ policies, isAdmin }: { policies: PolicyListItem[]; isAdmin: boolean }) {
  const { lang } = useI18n();
  const t = useRulesText();
  const qc = useQueryClient();
  const stored = useQuery({ queryKey: ['policy-rules'], queryFn: rulesApi.list });
  const [drafts, setDrafts] = useState<DraftRule[] | null>(null);
  const [localErrors, setLocalErrors] = useState<RuleErrors>(new Map());
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (stored.data) setDrafts(stored.data.rules.map((r) => toDraft(r, lang)));
    // Re-read only when the stored rules change: a language switch must not drop an unsaved edit.
  }, [stored.data]);
  const save = useMutation({
    mutationFn: (rules: PolicyRule[]) => rulesApi.save(rules),
    onSuccess: async () => {
      setSaved(true);
      await qc.invalidateQueries({ queryKey: ['policy-rules'] });
      await qc.invalidateQueries({ queryKey: ['customer-dunning-policy'] });
    },
  });
  if (!drafts) return <p aria-busy="true">…</p>;

  const server = serverErrors(save.error);
  const errorOf = (i: number, field: string) => localErrors.get(i)?.get(field) ?? server.byRule.get(i)?.get(field);
  const change = (i: number, patch: Partial<DraftRule>) => {
    setSaved(false);
    setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  };
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    const a = drafts[i];
    const b = drafts[j];
    if (!a || !b) return;
    const copy = [...drafts];
    copy[i] = b;
    copy[j] = a;
    setSaved(false);
    setDrafts(copy);
  };
  const submit = () => {
    const { rules, errors } = toRules(drafts, t);
    setLocalErrors(errors);
    save.reset();
    if (errors.size === 0) save.mutate(rules);
  };
  const firstKey = policies[0]?.key ?? '';

  return (
    <section aria-labelledby="rules-title" className="policy-rules" data-testid="policy-rules">
      <h2 id="rules-title">{t('rulesTitle')}</h2>
      <p className="muted">{t('rulesIntro')}</p>
      {drafts.length === 0 && <p className="muted">{t('noRules')}</p>}
      <ol>
        {drafts.map((d, i) => {
          const n = `${t('rule')} ${i + 1}`;
          const idp = `rule-${d.uid}`;
          const numberInput = (field: NumberField, label: RulesKey) => (
            <label>
              {t(label)}{' '}
              <input
                aria-label={`${t(label)} — ${n}`}
                value={d[field]}
                disabled={!isAdmin}
                size={8}
                inputMode="decimal"
                aria-invalid={errorOf(i, field) ? true : undefined}
                aria-describedby={errorOf(i, field) ? `${idp}-${field}` : undefined}
                onChange={(e) => change(i, { [field]: e.target.value })}
              />{' '}
              <FieldError id={`${idp}-${field}`} text={errorOf(i, field)} />
            </label>
          );
          return (
            <li key={d.uid} className="rule" data-testid="policy-rule">
              <div className="row">
                <strong>{n}</strong>
                <label>
                  {t('label')}{' '}
                  <input
                    aria-label={`${t('label')} — ${n}`}
                    value={d.label}
                    disabled={!isAdmin}
                    onChange={(e) => change(i, { label: e.target.value })}
                  />
                </label>
                <label>
                  {t('target')}{' '}
                  <select
                    aria-label={`${t('target')} — ${n}`}
                    value={d.policyKey}
                    disabled={!isAdmin}
                    aria-invalid={errorOf(i, 'policyKey') ? true : undefined}
                    onChange={(e) => change(i, { policyKey: e.target.value })}
                  >
                    {[...new Set([...policies.map((p) => p.key), d.policyKey])].map((k) => (
                      <option key={k} value={k}>
                        {policies.find((p) => p.key === k)?.latest.name ?? k} ({k})
                      </option>
                    ))}
                  </select>
                </label>{' '}
                <FieldError id={`${idp}-policyKey`} text={errorOf(i, 'policyKey')} />
                {isAdmin && (
                  <>
                    <button type="button" aria-label={`${t('up')} — ${n}`} disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑
                    </button>
                    <button
                      type="button"
                      aria-label={`${t('down')} — ${n}`}
                      disabled={i === drafts.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      aria-label={`${t('remove')} — ${n}`}
                      onClick={() => {
                        setSaved(false);
                        setDrafts(drafts.filter((_, j) => j !== i));
                      }}
                    >
                      {t('remove')}
                    </button>
                  </>
                )}
              </div>
              <div className="row">
                <fieldset>
                  <legend>{t('segments')}</legend>
                  {SEGMENTS.map((s) => (
                    <label key={s}>
                      <input
                        type="checkbox"
                        disabled={!isAdmin}
                        checked={d.segments.includes(s)}
                        onChange={(e) =>
                          change(i, {
                            segments: e.target.checked ? [...d.segments, s] : d.segments.filter((x) => x !== s),
                          })
                        }
                      />{' '}
                      {t(`seg_${s}` as RulesKey)}
                    </label>
                  ))}
                </fieldset>
                <fieldset>
                  <legend>{t('kinds')}</legend>
                  {KINDS.map((k) => (
                    <label key={k}>
                      <input
                        type="checkbox"
                        disabled={!isAdmin}
                        checked={d.kinds.includes(k)}
                        onChange={(e) =>
                          change(i, { kinds: e.target.checked ? [...d.kinds, k] : d.kinds.filter((x) => x !== k) })
                        }
                      />{' '}
                      {t(`kind_${k}`)}
                    </label>
                  ))}
                </fieldset>
                {numberInput('minExposure', 'minExposure')}
                {numberInput('maxExposure', 'maxExposure')}
                {numberInput('minRisk', 'minRisk')}
                {numberInput('maxRisk', 'maxRisk')}
              </div>
              <FieldError id={`${idp}-rule`} text={errorOf(i, 'rule')} />
            </li>
          );
        })}
      </ol>
      {isAdmin && (
        <p className="row">
          <button
            type="button"
            onClick={() => {
              setSaved(false);
              setDrafts([
                ...drafts,
                toDraft({ policyKey: firstKey, when: {} }, lang),
              ]);
            }}
          >
            {t('add')}
          </button>
          <button type="button" disabled={save.isPending} onClick={submit}>
            {t('saveRules')}
          </button>
          {saved && <span role="status">{t('rulesSaved')}</span>}
        </p>
      )}
      {server.general.length > 0 && (
        <ul role="alert" className="error">
          {server.general.map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
