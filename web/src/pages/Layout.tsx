import type { ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import { type Lang, useI18n } from '../i18n';
import { useSession, useSignOut } from '../session';
import { bankReviewText } from './bank-review.i18n';
import { settingsText } from './settings.i18n';
import { lettersText } from './letters.i18n';
import { policiesText } from './policies.i18n';
import { useWorklistText } from './worklist.i18n';
import { useDailyText } from './daily.i18n';
import { GlobalSearch } from './GlobalSearch';

export function Layout({ children }: { children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const session = useSession();
  const signOut = useSignOut();
  const w = useWorklistText();
  const d = useDailyText();
  return (
    <>
      <a href="#main" className="skip">
        {t('skipToContent')}
      </a>
      <header className="top">
        <strong>{t('appName')}</strong>
        <span className="org">{session.organisation.name}</span>
        <nav aria-label="Navigation">
          <NavLink to="/" end>
            {t('dashboard')}
          </NavLink>
          <NavLink to="/worklist">{w('worklist')}</NavLink>
          <NavLink to="/customers" end>
            {d('navCustomers')}
          </NavLink>
          <NavLink to="/invoices">{t('invoices')}</NavLink>
          <NavLink to="/policies">{policiesText(lang)('navPolicies')}</NavLink>
          <NavLink to="/run-preview">{policiesText(lang)('navRunPreview')}</NavLink>
          <NavLink to="/letters">{lettersText(lang)('nav')}</NavLink>
          <NavLink to="/import">{settingsText(lang, 'importer')}</NavLink>
          <NavLink to="/bank-review">{bankReviewText(lang)('nav')}</NavLink>
          <NavLink to="/settings">{settingsText(lang, 'settings')}</NavLink>
        </nav>
        <GlobalSearch />
        <label className="lang">
          {t('language')}{' '}
          <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="fr">Français</option>
            <option value="en">English</option>
          </select>
        </label>
        <span className="user">{session.user.name}</span>
        <button type="button" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </header>
      <main id="main">{children}</main>
    </>
  );
}
