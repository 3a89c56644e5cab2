import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { PortalError, portalApi } from './api';
import { PortalContext, type PortalCtx } from './context';
import { ItemsSection } from './ItemsSection';
import { PaySection } from './PaySection';
import { PlanSection } from './PlanSection';
import { RequestsSection } from './RequestsSection';
import { browserLang, localeOf, type PortalLang, translator } from './portal.i18n';
import { ContactLine, TotalDue } from './TotalDue';

export function PortalApp({ token }: { token: string }) {
  const api = useMemo(() => portalApi(token), [token]);
  const queryClient = useQueryClient();
  const [chosenLang, setChosenLang] = useState<PortalLang | null>(null);
  // Back from the payment provider's page: ?checkout=success|cancelled (set by the API).
  const [checkoutReturn] = useState(() => new URLSearchParams(window.location.search).get('checkout'));
  const [announcement, setAnnouncement] = useState('');
  const summary = useQuery({ queryKey: ['summary', token], queryFn: api.summary, enabled: token !== '' });
  const downloads = useQuery({
    queryKey: ['downloads', token],
    queryFn: api.hasDownloads,
    enabled: summary.isSuccess,
  });

  const lang = chosenLang ?? summary.data?.customer.language ?? browserLang();
  const t = translator(lang);
  const locale = localeOf(lang);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = summary.data ? `${translator(lang)('title')} · ${summary.data.creditor.name}` : translator(lang)('title');
  }, [lang, summary.data]);

  const refresh = useCallback(async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['summary'] }),
      queryClient.invalidateQueries({ queryKey: ['plans'] }),
    ]);
  }, [queryClient]);

  const header = (
    <header className="p-top">
      <div className="p-creditor">
        {summary.data?.creditor.logoUrl ? (
          <img className="p-logo" src={summary.data.creditor.logoUrl} alt="" referrerPolicy="no-referrer" />
        ) : null}
        <span>{summary.data?.creditor.name ?? t('title')}</span>
      </div>
      <label className="p-lang">
        <span className="sr-only">{t('language')}</span>
        <select value={lang} onChange={(e) => setChosenLang(e.target.value as PortalLang)} aria-label={t('language')}>
          <option value="fr" lang="fr">
            Français
          </option>
          <option value="en" lang="en">
            English
          </option>
        </select>
      </label>
    </header>
  );

  if (token === '' || (summary.isError && isRefusal(summary.error))) {
    return (
      <>
        {header}
        <main id="main" className="p-main">
          <section className="p-card p-refusal" data-testid="portal-refused">
            <h1>{t('invalidTitle')}</h1>
            <p>{t('invalidBody')}</p>
          </section>
        </main>
      </>
    );
  }
  if (summary.isPending) {
    return (
      <>
        {header}
        <main id="main" className="p-main" aria-busy="true">
          <p>{t('loading')}</p>
        </main>
      </>
    );
  }
  if (summary.isError) {
    const tooMany = summary.error instanceof PortalError && summary.error.status === 429;
    return (
      <>
        {header}
        <main id="main" className="p-main">
          <div role="alert" className="p-card">
            <p>{tooMany ? t('tooMany') : t('error')}</p>
            <button type="button" onClick={() => summary.refetch()}>
              {t('retry')}
            </button>
          </div>
        </main>
      </>
    );
  }

  const s = summary.data;
  const ctx: PortalCtx = {
    api,
    summary: s,
    lang,
    locale,
    t,
    refresh,
    announce: setAnnouncement,
    downloads: downloads.data === true,
  };
  return (
    <PortalContext.Provider value={ctx}>
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      {header}
      <main id="main" className="p-main">
        <h1>
          {t('hello')} {s.customer.name}
        </h1>
        <p className="p-muted">{t('creditorIntro', { creditor: s.creditor.name, date: longDate(s.today, locale) })}</p>
        {checkoutReturn === 'success' || checkoutReturn === 'cancelled' ? (
          <p className="p-flash" data-testid="portal-checkout-return">
            {t(checkoutReturn === 'success' ? 'checkoutSuccess' : 'checkoutCancelled')}
          </p>
        ) : null}
        <p role="status" aria-live="polite" className={announcement ? 'p-flash' : 'sr-only'} data-testid="portal-status">
          {announcement}
        </p>
        <TotalDue />
        <ItemsSection />
        <PaySection />
        <PlanSection />
        <RequestsSection />
        <footer className="p-muted p-footer">
          <ContactLine />
        </footer>
      </main>
    </PortalContext.Provider>
  );

}

/** A refused link (malformed, forged, expired, revoked): the API answers 404 or 400 alike. */
function isRefusal(e: unknown): boolean {
  return e instanceof PortalError && (e.status === 404 || e.status === 400);
}

export function longDate(iso: string, locale: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'long' }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)),
  );
}
