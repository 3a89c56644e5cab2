import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api, setCsrfToken } from '../api';
import { formatDate } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { hasSettingsText, type SettingsKey, settingsText } from './settings.i18n';

const ROLES = ['admin', 'accountant', 'collector', 'viewer'] as const;

interface OrgUser {
  id: string;
  email: string;
  name: string;
  role: string;
  disabledAt: string | null;
}
interface Invitation {
  id: string;
  email: string;
  role: string;
  expiresAt: string;
}

export function UsersTab() {
  const { lang, locale } = useI18n();
  const tx = (k: SettingsKey) => settingsText(lang, k);
  const session = useSession();
  const qc = useQueryClient();
  const isAdmin = session.user.role === 'admin';
  const q = useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ users: OrgUser[]; invitations: Invitation[] }>('/users'),
    enabled: isAdmin,
  });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('viewer');
  const [invited, setInvited] = useState<{ link: string; emailed: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const explain = (err: unknown) => {
    const code = err instanceof ApiError ? (err.problem.errors?.[0] as { code?: string } | undefined)?.code : undefined;
    const key = `e_${code}`;
    return code && hasSettingsText(key) ? tx(key) : err instanceof Error ? err.message : String(err);
  };
  async function act(fn: () => Promise<unknown>) {
    setError(null);
    try {
      await fn();
      await qc.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      setError(explain(err));
    }
  }
  async function invite(e: FormEvent) {
    e.preventDefault();
    await act(async () => {
      const r = await api<{ link: string; emailed: boolean }>('/users/invitations', {
        method: 'POST',
        body: { email, role },
      });
      setInvited(r);
      setEmail('');
    });
  }
  async function signOutEverywhere() {
    await api('/auth/sign-out-everywhere', { method: 'POST' }).catch(() => undefined);
    setCsrfToken(undefined);
    qc.setQueryData(['session'], null);
    qc.removeQueries({ predicate: (x) => x.queryKey[0] !== 'session' });
  }

  return (
    <div className="card users">
      {isAdmin && (
        <>
          <h2>{tx('users')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{tx('name')}</th>
                <th scope="col">{tx('email')}</th>
                <th scope="col">{tx('role')}</th>
                <th scope="col">{tx('state')}</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {q.data?.users.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>
                    <select
                      aria-label={`${tx('role')} ${u.email}`}
                      value={u.role}
                      onChange={(e) =>
                        act(() => api(`/users/${u.id}`, { method: 'PATCH', body: { role: e.target.value } }))
                      }
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {tx(`role_${r}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{u.disabledAt ? tx('disabled') : tx('active')}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() =>
                        act(() => api(`/users/${u.id}/${u.disabledAt ? 'reactivate' : 'deactivate'}`, { method: 'POST' }))
                      }
                    >
                      {u.disabledAt ? tx('reactivate') : tx('deactivate')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.data && q.data.invitations.length > 0 && (
            <>
              <h2>{tx('pendingInvitations')}</h2>
              <ul>
                {q.data.invitations.map((i) => (
                  <li key={i.id}>
                    {i.email} — {tx(`role_${i.role}` as SettingsKey)} — {tx('expires')}{' '}
                    {formatDate(i.expiresAt.slice(0, 10), locale)}{' '}
                    <button
                      type="button"
                      onClick={() => act(() => api(`/users/invitations/${i.id}`, { method: 'DELETE' }))}
                    >
                      {tx('cancel')}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <form onSubmit={invite} className="row invite" aria-label={tx('inviteTitle')}>
            <h2>{tx('inviteTitle')}</h2>
            <label>
              {tx('email')}{' '}
              <input name="inviteEmail" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
            <label>
              {tx('role')}{' '}
              <select name="inviteRole" value={role} onChange={(e) => setRole(e.target.value)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {tx(`role_${r}`)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{tx('invite')}</button>
          </form>
          {invited && (
            <div role="status" className="invited">
              <p>{tx('invitationLink')}</p>
              <p>
                <code data-testid="invitation-link">{invited.link}</code>
              </p>
              <p className="muted">{invited.emailed ? tx('invitationEmailed') : tx('invitationNotEmailed')}</p>
            </div>
          )}
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </>
      )}
      <p>
        <button type="button" onClick={() => void signOutEverywhere()}>
          {tx('signOutEverywhere')}
        </button>
      </p>
    </div>
  );
}
