import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api, type SessionInfo, setCsrfToken } from '../api';
import { useI18n } from '../i18n';
import { hasSettingsText, type SettingsKey, settingsText } from './settings.i18n';
import './settings.css';

interface InvitationInfo {
  organisationName: string;
  email: string;
  role: string;
}

/** /invitation#<token>: the token stays in the fragment, which the browser never sends. */
export function AcceptInvitationPage() {
  const { lang } = useI18n();
  const tx = (k: SettingsKey, v?: Record<string, string>) => settingsText(lang, k, v);
  const qc = useQueryClient();
  const token = decodeURIComponent(window.location.hash.slice(1));
  const info = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api<InvitationInfo>('/invitations/describe', { method: 'POST', body: { token } }),
    retry: false,
  });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api<SessionInfo>('/invitations/accept', { method: 'POST', body: { token, name, password } });
      setCsrfToken(s.csrfToken);
      window.history.replaceState(null, '', '/');
      qc.setQueryData(['session'], s);
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : undefined;
      const first = p?.errors?.[0];
      setError(
        p?.status === 404
          ? tx('invitationInvalid')
          : first
            ? `${first.field === 'password' ? tx('choosePassword') : (first.field ?? '')} : ${first.reason}`
            : (p?.detail ?? String(err)),
      );
    } finally {
      setBusy(false);
    }
  }

  if (info.isPending) return <p aria-busy="true">…</p>;
  if (!info.data)
    return (
      <main className="join">
        <p role="alert" className="error">
          {tx('invitationInvalid')}
        </p>
      </main>
    );
  const roleKey = `role_${info.data.role}`;
  return (
    <main className="join">
      <form onSubmit={submit} className="card" aria-labelledby="join-title">
        <h1 id="join-title">{tx('joinTitle', { org: info.data.organisationName })}</h1>
        <p>
          {tx('joinIntro', {
            email: info.data.email,
            role: hasSettingsText(roleKey) ? tx(roleKey) : info.data.role,
          })}
        </p>
        <label htmlFor="join-name">{tx('yourName')}</label>
        <input id="join-name" name="name" required value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="join-password">{tx('choosePassword')}</label>
        <input
          id="join-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {tx('join')}
        </button>
      </form>
    </main>
  );
}
