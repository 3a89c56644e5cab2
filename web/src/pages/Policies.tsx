import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { templateLabel } from './daily.i18n';
import { useEffect, useState } from 'react';
import { ApiError, api, type Page } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { type Channel, dunningApi, type PolicyEdit, type PolicyStep, type Tone } from './dunning-api';
import { type PolicyMessage, policiesText } from './policies.i18n';
import { PolicyRulesEditor } from './PolicyRulesEditor';
import { stepLabel } from './step-labels';
import { TemplateEditor } from './TemplateEditor';
import { templatesText } from './templates.i18n';

const CHANNELS: Channel[] = ['email', 'sms', 'letter', 'registered_letter', 'call_task'];
const TONES: Tone[] = ['courteous', 'firm', 'formal', 'legal'];
const TEMPLATES = [
  'courtesy',
  'first_reminder',
  'second_reminder_b2b',
  'second_reminder_b2c',
  'formal_notice_b2b',
  'formal_notice_b2c',
  'escalation',
];

interface CustomerOption {
  id: string;
  name: string;
}

/** "Politiques": edit a policy's steps (saved as a new version) with a live preview on a real customer. */
export function PoliciesPage() {
  const { lang } = useI18n();
  const t = policiesText(lang);
  const session = useSession();
  const isAdmin = session.user.role === 'admin';
  const qc = useQueryClient();
  const policies = useQuery({ queryKey: ['dunning-policies'], queryFn: dunningApi.policies });
  const customers = useQuery({
    queryKey: ['customers-by-balance'],
    queryFn: () => api<Page<CustomerOption>>('/customers?sort=-balanceDue&limit=50'),
  });
  const [key, setKey] = useState<string>('');
  const [draft, setDraft] = useState<PolicyEdit | null>(null);
  const [customerId, setCustomerId] = useState('');
  const [stepIndex, setStepIndex] = useState(1);
  const [msgLang, setMsgLang] = useState<'fr' | 'en'>(lang);
  const [saved, setSaved] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  const tt = templatesText(lang);

  const current = policies.data?.items.find((p) => p.key === key) ?? policies.data?.items[0];
  const latest = current?.latest;
  useEffect(() => {
    if (!latest) return;
    const { name, kind, automaticSends, replayMissedSteps, steps } = latest;
    setDraft({ name, kind, automaticSends, replayMissedSteps, steps });
  }, [latest]);
  useEffect(() => {
    if (!customerId && customers.data?.items[0]) setCustomerId(customers.data.items[0].id);
  }, [customers.data, customerId]);

  // Only an unsaved change is previewed as a draft; otherwise the stored version is rendered.
  const edited =
    draft !== null &&
    latest !== undefined &&
    JSON.stringify(draft) !==
      JSON.stringify({
        name: latest.name,
        kind: latest.kind,
        automaticSends: latest.automaticSends,
        replayMissedSteps: latest.replayMissedSteps,
        steps: latest.steps,
      });
  const preview = useQuery({
    queryKey: ['step-preview', latest?.id, customerId, stepIndex, msgLang, edited ? JSON.stringify(draft) : ''],
    queryFn: () =>
      dunningApi.previewStep(latest?.id ?? '', {
        customerId,
        stepIndex,
        lang: msgLang,
        ...(edited && draft ? { draft } : {}),
      }),
    enabled: Boolean(latest && draft && customerId),
    placeholderData: keepPreviousData,
    retry: false,
  });

  const save = useMutation({
    mutationFn: () => dunningApi.savePolicy(latest?.id ?? '', draft as PolicyEdit),
    onSuccess: async (p) => {
      setSaved(p.version);
      await qc.invalidateQueries({ queryKey: ['dunning-policies'] });
    },
  });

  function updateStep(i: number, change: Partial<PolicyStep>) {
    if (!draft) return;
    setSaved(null);
    setDraft({ ...draft, steps: draft.steps.map((s, j) => (j === i ? { ...s, ...change } : s)) });
  }

  if (policies.isPending || !draft || !current || !latest) return <p aria-busy="true">…</p>;
  const problems = save.error instanceof ApiError ? (save.error.problem.errors ?? []) : [];

  return (
    <section aria-labelledby="pol-title">
      <h1 id="pol-title">{t('title')}</h1>
      <div className="row filters">
        <label>
          {t('policy')}{' '}
          <select value={current.key} onChange={(e) => setKey(e.target.value)}>
            {policies.data?.items.map((p) => (
              <option key={p.key} value={p.key}>
                {p.latest.name} ({p.key})
              </option>
            ))}
          </select>
        </label>
        <span data-testid="policy-version">
          {t('version')} {latest.version}
        </span>
        <span className="muted">
          {t('versions')}: {current.versions.map((v) => `v${v.version}`).join(', ')}
        </span>
      </div>
      {!isAdmin && <p className="muted">{t('readOnly')}</p>}
      <table data-testid="policy-steps">
        <thead>
          <tr>
            <th scope="col">{t('step')}</th>
            <th scope="col">{t('offsetDays')}</th>
            <th scope="col">{t('channels')}</th>
            <th scope="col">{t('tone')}</th>
            <th scope="col">{t('template')}</th>
          </tr>
        </thead>
        <tbody>
          {draft.steps.map((s, i) => (
            <tr key={s.key}>
              <td>{stepLabel(s.label, lang)}</td>
              <td>
                <input
                  type="number"
                  aria-label={`${t('offsetDays')} — ${stepLabel(s.label, lang)}`}
                  value={s.offsetDays}
                  disabled={!isAdmin}
                  style={{ width: '5em' }}
                  onChange={(e) => updateStep(i, { offsetDays: Number(e.target.value) })}
                />
              </td>
              <td>
                {CHANNELS.map((c) => (
                  <label key={c} style={{ marginRight: 8 }}>
                    <input
                      type="checkbox"
                      disabled={!isAdmin}
                      checked={s.channels.includes(c)}
                      onChange={(e) =>
                        updateStep(i, {
                          channels: e.target.checked ? [...s.channels, c] : s.channels.filter((x) => x !== c),
                        })
                      }
                    />{' '}
                    {t(`ch_${c}` as PolicyMessage)}
                  </label>
                ))}
              </td>
              <td>
                <select
                  aria-label={`${t('tone')} — ${stepLabel(s.label, lang)}`}
                  value={s.tone}
                  disabled={!isAdmin}
                  onChange={(e) => updateStep(i, { tone: e.target.value as Tone })}
                >
                  {TONES.map((x) => (
                    <option key={x} value={x}>
                      {t(`tone_${x}` as PolicyMessage)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  aria-label={`${t('template')} — ${stepLabel(s.label, lang)}`}
                  value={s.templateKey}
                  disabled={!isAdmin}
                  onChange={(e) => updateStep(i, { templateKey: e.target.value })}
                >
                  {[...new Set([...TEMPLATES, s.templateKey])].map((x) => (
                    <option key={x} value={x}>
                      {templateLabel(x, lang)}
                    </option>
                  ))}
                </select>{' '}
                <button
                  type="button"
                  onClick={() => {
                    setStepIndex(i);
                    setEditing(true);
                  }}
                >
                  {tt('editTemplate')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {isAdmin && (
        <p className="row">
          <button type="button" disabled={save.isPending} onClick={() => save.mutate()}>
            {t('save')}
          </button>
          {saved !== null && (
            <span role="status">
              {t('saved')}: v{saved}
            </span>
          )}
        </p>
      )}
      {problems.length > 0 && (
        <ul role="alert" className="error">
          {problems.map((p) => (
            <li key={`${p.field}:${p.reason}`}>
              {p.field}: {p.reason}
            </li>
          ))}
        </ul>
      )}

      {editing && preview.data && preview.data.kind === 'send' && customerId && (
        <TemplateEditor
          key={`${preview.data.templateKey}/${msgLang}`}
          policyId={latest.id}
          stepIndex={stepIndex}
          templateKey={preview.data.templateKey}
          customerId={customerId}
          locale={msgLang}
          isAdmin={isAdmin}
          onClose={() => setEditing(false)}
        />
      )}

      <h2>{t('preview')}</h2>
      <div className="row filters">
        <label>
          {t('customer')}{' '}
          <select value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
            {customers.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('step')}{' '}
          <select value={stepIndex} onChange={(e) => setStepIndex(Number(e.target.value))}>
            {draft.steps.map((s, i) => (
              <option key={s.key} value={i}>
                {stepLabel(s.label, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('language')}{' '}
          <select value={msgLang} onChange={(e) => setMsgLang(e.target.value as 'fr' | 'en')}>
            <option value="fr">Français</option>
            <option value="en">English</option>
          </select>
        </label>
      </div>
      {preview.isError ? (
        <p role="alert" className="error">
          {preview.error.message}
        </p>
      ) : preview.data ? (
        <div className="card" data-testid="step-preview">
          <p className="muted" data-testid="preview-step">
            {stepLabel(preview.data.stepLabel, lang)} — J{preview.data.offsetDays >= 0 ? '+' : ''}
            {preview.data.offsetDays} — {preview.data.channels.map((c) => t(`ch_${c.channel}` as PolicyMessage) ?? c.channel).join(', ')}
            {preview.data.draft ? ` — ${t('draftNote')}` : ''}
          </p>
          <p>
            <strong>{t('items')}:</strong>{' '}
            <span data-testid="preview-items">
              {preview.data.items.map((i) => `${i.invoiceNumber} (${i.daysLate} ${t('daysLate')})`).join(', ')}
            </span>
          </p>
          {preview.data.statementItems.length > 0 && (
            <p>
              <strong>{t('alsoListed')}:</strong> {preview.data.statementItems.map((i) => i.invoiceNumber).join(', ')}
            </p>
          )}
          {preview.data.notes.length > 0 && (
            <ul className="muted" data-testid="preview-notes">
              {preview.data.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          {preview.data.message ? (
            <>
              <p>
                <strong>{t('subject')}:</strong> {preview.data.message.subject}
              </p>
              <pre style={{ whiteSpace: 'pre-wrap' }} data-testid="preview-text">
                {preview.data.message.text}
              </pre>
            </>
          ) : (
            <p>{t('taskOnly')}</p>
          )}
        </div>
      ) : null}
      <PolicyRulesEditor policies={policies.data?.items ?? []} isAdmin={isAdmin} />
    </section>
  );
}
