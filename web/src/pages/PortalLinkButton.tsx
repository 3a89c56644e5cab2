import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import { useDailyText } from './daily.i18n';

/**
 * Issue a fresh link to the debtor's portal from the customer file, then copy it or open an
 * email to the primary contact with it: no one has to stop the server to run the CLI.
 */
export function PortalLinkButton({ customerId, email }: { customerId: string; email: string | null }) {
  const d = useDailyText();
  const { locale } = useI18n();
  const [copied, setCopied] = useState(false);
  const link = useMutation({
    mutationFn: () =>
      api<{ url: string; expiresAt: string }>(`/customers/${customerId}/portal-link`, { method: 'POST', body: {} }),
    onSuccess: async (r) => {
      try {
        await navigator.clipboard.writeText(r.url);
        setCopied(true);
      } catch {
        // No clipboard permission (plain http, old browser): the link is shown to copy by hand.
        setCopied(false);
      }
    },
  });
  const mailto = (url: string) =>
    `mailto:${email ?? ''}?subject=${encodeURIComponent(d('portalMailSubject'))}&body=${encodeURIComponent(`${d('portalMailBody')}\n${url}`)}`;
  return (
    <div className="portal-link" data-testid="portal-link">
      <button type="button" onClick={() => link.mutate()} disabled={link.isPending}>
        {d('copyPortalLink')}
      </button>
      {link.data && (
        <p role="status">
          {copied ? `${d('portalLinkCopied')} ` : ''}
          {d('portalLinkReady')} {new Date(link.data.expiresAt).toLocaleDateString(locale)} :{' '}
          <input readOnly value={link.data.url} aria-label={d('portalLink')} size={50} onFocus={(e) => e.target.select()} />{' '}
          <a href={mailto(link.data.url)}>{d('sendPortalLink')}</a>
        </p>
      )}
      {link.isError && <p role="alert">{String(link.error.message)}</p>}
    </div>
  );
}
