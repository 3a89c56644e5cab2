import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, type Problem } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { type SettingsKey, settingsText } from './settings.i18n';

interface LogoMeta {
  mediaType: string;
  width: number;
  height: number;
  sizeBytes: number;
  sha256: string;
}

/** The organisation's logo: preview, upload (the server judges the bytes) and remove. */
export function LogoField({ canEdit }: { canEdit: boolean }) {
  const { lang } = useI18n();
  const tx = (k: SettingsKey) => settingsText(lang, k);
  const session = useSession();
  const qc = useQueryClient();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const q = useQuery({
    queryKey: ['settings', 'logo'],
    queryFn: () =>
      api<LogoMeta>('/settings/logo/meta').catch((e: unknown) => {
        if (e instanceof ApiError && e.problem.status === 404) return null;
        throw e;
      }),
  });

  async function upload(file: File) {
    const form = new FormData();
    form.append('file', file);
    const res = await fetch('/api/v1/settings/logo', {
      method: 'PUT',
      body: form,
      credentials: 'same-origin',
      headers: { 'x-csrf-token': session.csrfToken, accept: 'application/json' },
    });
    const data = (await res.json().catch(() => ({}))) as Partial<Problem>;
    if (res.ok) {
      qc.setQueryData(['settings', 'logo'], data);
      setMessage({ error: false, text: tx('logoSaved') });
    } else {
      setMessage({ error: true, text: res.status === 413 ? tx('logoTooLarge') : (data.detail ?? res.statusText) });
    }
  }

  async function remove() {
    await api('/settings/logo', { method: 'DELETE' });
    qc.setQueryData(['settings', 'logo'], null);
    setMessage({ error: false, text: tx('logoRemoved') });
  }

  const logo = q.data;
  return (
    <fieldset className="logo-field">
      <legend>{tx('logo')}</legend>
      {logo ? (
        <img
          className="logo-preview"
          src={`/api/v1/settings/logo?v=${logo.sha256}`}
          alt={tx('logo')}
          width={Math.min(180, logo.width)}
        />
      ) : (
        <p className="muted">{q.isLoading ? '…' : tx('logoNone')}</p>
      )}
      {canEdit && (
        <div className="logo-actions">
          <label>
            {tx('logo')}
            <input
              type="file"
              accept="image/png,image/jpeg"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (file) void upload(file);
              }}
            />
          </label>
          {logo && (
            <button type="button" onClick={() => void remove()}>
              {tx('logoRemove')}
            </button>
          )}
        </div>
      )}
      <p className="muted hint">{tx('logoHint')}</p>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : undefined}>
          {message.text}
        </p>
      )}
    </fieldset>
  );
}
