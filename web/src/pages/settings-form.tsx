import { type FormEvent, useState } from 'react';
import { ApiError } from '../api';
import type { Lang } from '../i18n';
import { hasSettingsText, type SettingsKey, settingsText } from './settings.i18n';

export type FieldKind = 'text' | 'number' | 'money' | 'time' | 'bool' | 'textarea' | 'secret';
export interface FieldSpec {
  name: string;
  label: SettingsKey;
  kind: FieldKind;
  /** Where the value lives in the API, when it differs from `name` (money: minor units). */
  apiName?: string;
}

export type Values = Record<string, string | boolean>;

/** Server field errors ("bank.iban" + code) → the message in the user's language. */
export function fieldErrors(err: unknown, section: string, lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  for (const e of err.problem.errors ?? []) {
    const field = (e.field ?? '').replace(`${section}.`, '');
    const code = (e as { code?: string }).code;
    const key = `e_${code}`;
    out[field] = code && hasSettingsText(key) ? settingsText(lang, key) : e.reason;
  }
  return out;
}

/** Form values → the API's section body (numbers as numbers, money in minor units). */
export function toBody(fields: FieldSpec[], values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    const key = f.apiName ?? f.name;
    if (f.kind === 'bool') body[key] = v === true;
    else if (f.kind === 'secret') {
      if (typeof v === 'string' && v.trim() !== '') body[key] = v.trim();
    } else if (f.kind === 'number') body[key] = v === '' ? null : Number(v);
    else if (f.kind === 'money') body[key] = v === '' ? null : Math.round(Number(String(v).replace(',', '.')) * 100);
    else body[key] = v;
  }
  return body;
}

export function SectionForm(props: {
  section: string;
  fields: FieldSpec[];
  initial: Values;
  lang: Lang;
  canEdit: boolean;
  save: (body: Record<string, unknown>) => Promise<void>;
  notes?: Record<string, React.ReactNode>;
}) {
  const { section, fields, lang, canEdit } = props;
  const tx = (k: SettingsKey) => settingsText(lang, k);
  const [values, setValues] = useState<Values>(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<'idle' | 'saved' | 'invalid' | 'failed'>('idle');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setStatus('idle');
    try {
      await props.save(toBody(fields, values));
      setErrors({});
      setStatus('saved');
    } catch (err) {
      const fe = fieldErrors(err, section, lang);
      setErrors(fe);
      setStatus(Object.keys(fe).length > 0 ? 'invalid' : 'failed');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="card settings-form" noValidate aria-label={tx(`tab_${section}` as SettingsKey)}>
      {fields.map((f) => {
        const id = `f-${section}-${f.name}`;
        const err = errors[f.apiName ?? f.name];
        const described = err ? `${id}-err` : undefined;
        const v = values[f.name];
        return (
          <div key={f.name} className={f.kind === 'bool' ? 'field check' : 'field'}>
            {f.kind === 'bool' ? (
              <label htmlFor={id}>
                <input
                  id={id}
                  name={f.name}
                  type="checkbox"
                  checked={v === true}
                  disabled={!canEdit}
                  onChange={(e) => setValues({ ...values, [f.name]: e.target.checked })}
                />{' '}
                {tx(f.label)}
              </label>
            ) : (
              <>
                <label htmlFor={id}>{tx(f.label)}</label>
                {f.kind === 'textarea' ? (
                  <textarea
                    id={id}
                    name={f.name}
                    rows={3}
                    value={String(v ?? '')}
                    disabled={!canEdit}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={described}
                    onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                  />
                ) : (
                  <input
                    id={id}
                    name={f.name}
                    type={f.kind === 'time' ? 'time' : f.kind === 'secret' ? 'password' : 'text'}
                    inputMode={f.kind === 'number' || f.kind === 'money' ? 'decimal' : undefined}
                    autoComplete={f.kind === 'secret' ? 'off' : undefined}
                    value={String(v ?? '')}
                    disabled={!canEdit}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={described}
                    onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                  />
                )}
              </>
            )}
            {props.notes?.[f.name]}
            {err && (
              <p id={described} className="error field-error">
                {err}
              </p>
            )}
          </div>
        );
      })}
      {canEdit && (
        <div className="row">
          <button type="submit" disabled={busy}>
            {tx('save')}
          </button>
          <span role="status">
            {status === 'saved' && tx('saved')}
            {status === 'invalid' && <span className="error">{tx('fixErrors')}</span>}
            {status === 'failed' && <span className="error">{tx('notAllowed')}</span>}
          </span>
        </div>
      )}
    </form>
  );
}
