import { type FormEvent, useState } from 'react';
import { ApiError, type Problem } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { type SettingsKey, settingsText } from './settings.i18n';
import './settings.css';

const ENTITIES = ['customers', 'invoices', 'payments', 'credit-notes'] as const;
const IGNORE = 'ignore';

interface RowError {
  line: number;
  column?: string;
  field?: string;
  value?: string;
  reason: string;
}
interface Preview {
  headers: string[];
  columns: Record<string, string | null>;
  fields: { name: string; required: boolean }[];
  mappingProblems: { field?: string; column?: string; reason: string }[];
  sample: { line: number; cells: Record<string, string> }[];
  rowsRead: number;
  rowsWithErrors: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
}

/** Multipart upload with the session's CSRF token (api() only speaks JSON). */
async function upload<T>(path: string, csrf: string, file: File, fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', file);
  const res = await fetch(`/api/v1${path}`, {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
    headers: { 'x-csrf-token': csrf, accept: 'application/json' },
  });
  const data = await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, data: data as T & Partial<Problem> };
}

export function ImportPage() {
  const { lang } = useI18n();
  const tx = (k: SettingsKey, v?: Record<string, string | number>) => settingsText(lang, k, v);
  const session = useSession();
  const [entity, setEntity] = useState<(typeof ENTITIES)[number]>('invoices');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** How the file writes dates and amounts: '' lets the server decide from the whole file. */
  const [dateFormat, setDateFormat] = useState('');
  const [decimalSeparator, setDecimalSeparator] = useState('');
  const formatFields = () => ({
    ...(dateFormat ? { dateFormat } : {}),
    ...(decimalSeparator ? { decimalSeparator } : {}),
  });

  /** After a first preview the whole mapping travels, every column named (or "ignore"). */
  function mappingFor(p: Preview | null, m: Record<string, string>): string {
    return p && Object.keys(m).length > 0 ? JSON.stringify(m) : '';
  }

  async function runPreview(currentMapping: Record<string, string>, base: Preview | null) {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const m = mappingFor(base, currentMapping);
      const r = await upload<Preview>(`/imports/${entity}/preview`, session.csrfToken, file, {
        ...(m ? { mapping: m } : {}),
        ...formatFields(),
      });
      if (!r.ok) throw new ApiError({ status: r.status, code: 'UNKNOWN', title: '', ...r.data } as Problem);
      const p = r.data as Preview;
      // Keep the user's explicit choices on top of what the server now detects.
      const merged = Object.fromEntries(p.headers.map((h) => [h, p.columns[h] ?? IGNORE]));
      for (const [h, f] of Object.entries(currentMapping)) if (h in merged) merged[h] = f;
      setPreview(p);
      setMapping(merged);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (!file || !preview) return;
    setBusy(true);
    setError(null);
    try {
      const m = mappingFor(preview, mapping);
      const r = await upload<{ accepted: number; rejected: number; summary?: { accepted: number; rejected: number } }>(
        `/imports/${entity}`,
        session.csrfToken,
        file,
        { mode: 'accept-valid', ...(m ? { mapping: m } : {}), ...formatFields() },
      );
      // 422 with a summary: the valid rows were committed, the others are listed.
      const s = r.data.summary ?? r.data;
      if (!r.ok && !r.data.summary) throw new Error(r.data.detail ?? String(r.status));
      setResult(tx('imported', { accepted: s.accepted, rejected: s.rejected }));
      setPreview(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setMapping({});
    void runPreview({}, null);
  }

  const canConfirm = preview && preview.mappingProblems.length === 0 && preview.rowsRead > preview.rowsWithErrors;
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">{tx('importTitle')}</h1>
      <form onSubmit={submit} className="card row">
        <label>
          {tx('entity')}{' '}
          <select name="entity" value={entity} onChange={(e) => setEntity(e.target.value as typeof entity)}>
            {ENTITIES.map((x) => (
              <option key={x} value={x}>
                {tx(`ent_${x}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tx('file')}{' '}
          <input
            name="file"
            type="file"
            accept=".csv,.txt,.tsv,.xlsx"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <label>
          {tx('dateFormat')}{' '}
          <select name="dateFormat" value={dateFormat} onChange={(e) => setDateFormat(e.target.value)}>
            <option value="">{tx('dateFormat_auto')}</option>
            <option value="DD/MM/YYYY">{lang === 'fr' ? 'JJ/MM/AAAA' : 'DD/MM/YYYY'}</option>
            <option value="MM/DD/YYYY">{lang === 'fr' ? 'MM/JJ/AAAA' : 'MM/DD/YYYY'}</option>
            <option value="YYYY-MM-DD">{lang === 'fr' ? 'AAAA-MM-JJ' : 'YYYY-MM-DD'}</option>
          </select>
        </label>
        <label>
          {tx('decimalSeparator')}{' '}
          <select
            name="decimalSeparator"
            value={decimalSeparator}
            onChange={(e) => setDecimalSeparator(e.target.value)}
          >
            <option value="">{tx('decimalSeparator_auto')}</option>
            <option value=",">{tx('decimalSeparator_comma')}</option>
            <option value=".">{tx('decimalSeparator_dot')}</option>
          </select>
        </label>
        <button type="submit" disabled={!file || busy}>
          {tx('preview')}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && (
        <p role="status" className="ok">
          {result}
        </p>
      )}
      {preview && (
        <div className="import-preview">
          <h2>{tx('mapping')}</h2>
          <table className="mapping">
            <thead>
              <tr>
                <th scope="col">{tx('column')}</th>
                <th scope="col">{tx('field')}</th>
                <th scope="col">{preview.sample[0] ? `${tx('line')} ${preview.sample[0].line}` : ''}</th>
              </tr>
            </thead>
            <tbody>
              {preview.headers.map((h) => (
                <tr key={h}>
                  <th scope="row">{h}</th>
                  <td>
                    <select
                      aria-label={`${tx('field')} ${h}`}
                      value={mapping[h] ?? IGNORE}
                      onChange={(e) => setMapping({ ...mapping, [h]: e.target.value })}
                    >
                      <option value={IGNORE}>{tx('ignore')}</option>
                      {preview.fields.map((f) => (
                        <option key={f.name} value={f.name}>
                          {f.name}
                          {f.required ? ` (${tx('required')})` : ''}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="muted">{preview.sample[0]?.cells[h] ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <button type="button" disabled={busy} onClick={() => void runPreview(mapping, preview)}>
              {tx('applyMapping')}
            </button>
          </p>
          {preview.mappingProblems.length > 0 && (
            <ul className="error" role="alert">
              {preview.mappingProblems.map((p) => (
                <li key={`${p.field}-${p.column}-${p.reason}`}>{p.reason}</li>
              ))}
            </ul>
          )}
          {preview.mappingProblems.length === 0 && (
            <p role="status" data-testid="import-summary">
              {tx('summary', {
                read: preview.rowsRead,
                errors: preview.rowsWithErrors,
                created: preview.created,
                updated: preview.updated,
                unchanged: preview.unchanged,
              })}
            </p>
          )}
          <h2>{tx('firstRows')}</h2>
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{tx('line')}</th>
                  {preview.headers.map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.sample.map((r) => (
                  <tr key={r.line} className={preview.errors.some((e) => e.line === r.line) ? 'bad' : undefined}>
                    <td>{r.line}</td>
                    {preview.headers.map((h) => (
                      <td key={h}>{r.cells[h]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.errors.length > 0 && (
            <>
              <h2>{tx('rowErrors')}</h2>
              <table className="row-errors">
                <thead>
                  <tr>
                    <th scope="col">{tx('line')}</th>
                    <th scope="col">{tx('column')}</th>
                    <th scope="col">{tx('value')}</th>
                    <th scope="col">{tx('reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.map((e) => (
                    <tr key={`${e.line}-${e.field}-${e.reason}`}>
                      <td>{e.line}</td>
                      <td>{e.column ?? e.field ?? ''}</td>
                      <td>{e.value ?? ''}</td>
                      <td>{e.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <p>
            <button type="button" disabled={!canConfirm || busy} onClick={() => void confirm()}>
              {tx('confirmImport')}
            </button>
          </p>
        </div>
      )}
    </section>
  );
}
