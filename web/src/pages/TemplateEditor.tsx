import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import { type MessageTemplate, PARTS, type Part, type TemplateEdit, templatesApi } from './templates-api';
import { type TemplateMessage, templatesText } from './templates.i18n';

export interface TemplateEditorProps {
  policyId: string;
  stepIndex: number;
  /** The concrete key the step renders for this customer (e.g. second_reminder_b2b). */
  templateKey: string;
  customerId: string;
  locale: 'fr' | 'en';
  isAdmin: boolean;
  onClose: () => void;
}

const filled = (t: MessageTemplate): Record<Part, string> =>
  Object.fromEntries(PARTS.map((p) => [p, t.override[p] ?? t.defaults[p]])) as Record<Part, string>;

/** Debounce a value: the preview follows the typing without a request per key stroke. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/**
 * "Modifier le modèle": the five parts of one template for one language, pre-filled with the
 * organisation's edit or the default, previewed live on a real customer through the same
 * preview route (and so the same renderer) as a send; server errors show next to their part.
 */
export function TemplateEditor(props: TemplateEditorProps) {
  const { lang } = useI18n();
  const t = templatesText(lang);
  const qc = useQueryClient();
  const qk = ['message-template', props.templateKey, props.locale];
  const stored = useQuery({ queryKey: qk, queryFn: () => templatesApi.get(props.templateKey, props.locale) });
  const [fields, setFields] = useState<Record<Part, string> | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  useEffect(() => {
    if (stored.data) setFields(filled(stored.data));
  }, [stored.data]);

  // Only parts that differ from what is stored make the draft: the rest render as saved.
  const draft: TemplateEdit | null =
    fields && stored.data
      ? Object.fromEntries(PARTS.filter((p) => fields[p] !== filled(stored.data)[p]).map((p) => [p, fields[p]]))
      : null;
  const draftKey = useDebounced(JSON.stringify(draft ?? {}), 400);
  const preview = useQuery({
    // The stored version is part of the key: after a save or a reset the draft is empty again,
    // and an empty draft must render what is stored now, not what a cached preview showed.
    queryKey: [
      'template-preview',
      props.policyId,
      props.stepIndex,
      props.customerId,
      props.locale,
      stored.data?.version,
      draftKey,
    ],
    queryFn: () => {
      const d = JSON.parse(draftKey) as TemplateEdit;
      return templatesApi.preview(props.policyId, {
        customerId: props.customerId,
        stepIndex: props.stepIndex,
        lang: props.locale,
        ...(Object.keys(d).length > 0 ? { templateDraft: d } : {}),
      });
    },
    enabled: Boolean(fields && props.customerId),
    placeholderData: keepPreviousData,
    retry: false,
  });

  const done = async (v: MessageTemplate) => {
    setSaved(v.version);
    qc.setQueryData(qk, v);
    await Promise.all([
      qc.invalidateQueries({ queryKey: ['step-preview'] }),
      qc.invalidateQueries({ queryKey: ['template-preview'] }),
    ]);
  };
  const save = useMutation({
    mutationFn: () => templatesApi.save(props.templateKey, props.locale, fields ?? {}),
    onSuccess: done,
  });
  const reset = useMutation({ mutationFn: () => templatesApi.reset(props.templateKey, props.locale), onSuccess: done });

  const errorOf = (e: unknown) => (e instanceof ApiError ? (e.problem.errors ?? []) : []);
  const mutationError = save.error ?? reset.error;
  const problems = [...errorOf(mutationError), ...(preview.isError ? errorOf(preview.error) : [])];
  const otherError =
    preview.isError && errorOf(preview.error).length === 0 ? preview.error.message : null;

  if (!stored.data || !fields) return <p aria-busy="true">…</p>;
  return (
    <div className="card" data-testid="template-editor">
      <h3>
        {t('editorTitle')} {props.templateKey} ({props.locale}) — {t('version')} {stored.data.version}{' '}
        <button type="button" onClick={props.onClose}>
          {t('closeEditor')}
        </button>
      </h3>
      {!props.isAdmin && <p className="muted">{t('readOnly')}</p>}
      {PARTS.map((p) => {
        const own = problems.filter((x) => x.field === p);
        const isEdited = fields[p] !== stored.data.defaults[p];
        return (
          <div key={p} style={{ marginBottom: 8 }}>
            <label>
              <strong>{t(`part_${p}` as TemplateMessage)}</strong>{' '}
              <span className="muted">({isEdited ? t('edited') : t('usesDefault')})</span>
              <br />
              {p === 'subject' ? (
                <input
                  data-testid={`tpl-${p}`}
                  value={fields[p]}
                  readOnly={!props.isAdmin}
                  style={{ width: '100%' }}
                  aria-invalid={own.length > 0}
                  onChange={(e) => {
                    setSaved(null);
                    setFields({ ...fields, [p]: e.target.value });
                  }}
                />
              ) : (
                <textarea
                  data-testid={`tpl-${p}`}
                  value={fields[p]}
                  readOnly={!props.isAdmin}
                  rows={p === 'sms' ? 3 : 8}
                  style={{ width: '100%', fontFamily: 'monospace', fontSize: 12 }}
                  aria-invalid={own.length > 0}
                  onChange={(e) => {
                    setSaved(null);
                    setFields({ ...fields, [p]: e.target.value });
                  }}
                />
              )}
            </label>
            {own.map((x) => (
              <p key={x.reason} role="alert" className="error" data-testid={`tpl-${p}-error`}>
                {'line' in x && x.line ? `${t('line')} ${String(x.line)} : ` : ''}
                {x.reason}
              </p>
            ))}
          </div>
        );
      })}
      {props.isAdmin && (
        <p className="row">
          <button type="button" disabled={save.isPending} onClick={() => save.mutate()}>
            {t('save')}
          </button>
          <button type="button" disabled={reset.isPending} onClick={() => reset.mutate()}>
            {t('reset')}
          </button>
          {saved !== null && (
            <span role="status" data-testid="tpl-saved">
              {t('saved')}: v{saved}
            </span>
          )}
        </p>
      )}
      <h4>{t('livePreview')}</h4>
      {otherError && (
        <p role="alert" className="error">
          {otherError}
        </p>
      )}
      {preview.data?.message && (
        <div data-testid="tpl-preview">
          <p>
            <strong>{t('part_subject')}:</strong> <span data-testid="tpl-preview-subject">{preview.data.message.subject}</span>
          </p>
          <iframe
            title={t('part_html')}
            sandbox=""
            srcDoc={preview.data.message.html}
            style={{ width: '100%', height: 320, border: '1px solid #ddd', background: '#fff' }}
          />
          <p>
            <strong>{t('part_sms')}</strong> ({preview.data.message.sms.segments} {t('smsSegments')}):{' '}
            <span data-testid="tpl-preview-sms">{preview.data.message.sms.text}</span>
          </p>
        </div>
      )}
    </div>
  );
}
