import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import type { SettingsView } from '../../../src/domain/settings/schema';
import { api } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { LogoField } from './LogoField';
import { type FieldSpec, SectionForm, type Values } from './settings-form';
import { type SettingsKey, settingsText } from './settings.i18n';
import { UsersTab } from './UsersTab';
import './settings.css';

const F = (name: string, kind: FieldSpec['kind'] = 'text', apiName?: string): FieldSpec => ({
  name,
  label: name as SettingsKey,
  kind,
  ...(apiName ? { apiName } : {}),
});

/** One form per tab; field names are the API's (shared schema in src/domain/settings). */
const SECTIONS: Record<string, FieldSpec[]> = {
  organisation: [
    F('legalName'),
    F('siren'),
    F('vatNumber'),
    F('addressLine1'),
    F('addressLine2'),
    F('postalCode'),
    F('city'),
    F('country'),
    F('email'),
    F('phone'),
  ],
  bank: [F('iban'), F('bic')],
  terms: [
    F('paymentTermsDays', 'number'),
    F('latePenaltyRate'),
    F('latePenaltyClause', 'textarea'),
    F('autoAllocatePayments', 'bool'),
  ],
  paymentPlan: [
    F('maxInstalments', 'number'),
    F('maxDurationDays', 'number'),
    F('minInstalment', 'money', 'minInstalmentMinor'),
    F('maxFirstDateDays', 'number'),
    F('minDownPaymentPercent'),
    F('maxPromiseDays', 'number'),
    F('promiseGraceDays', 'number'),
  ],
  channels: [F('senderName'), F('senderEmail'), F('replyDomain'), F('smtpUrl', 'secret')],
  contactLimits: [
    F('maxContactsPer7Days', 'number'),
    F('sendWindowStart', 'time'),
    F('sendWindowEnd', 'time'),
    F('timeZone'),
    F('noSendOnSundays', 'bool'),
    F('noSendOnPublicHolidays', 'bool'),
  ],
};
const TABS = [...Object.keys(SECTIONS), 'users'];

function initialValues(section: string, s: SettingsView): Values {
  const data = (s as unknown as Record<string, Record<string, unknown>>)[section] ?? {};
  const out: Values = {};
  for (const f of SECTIONS[section] ?? []) {
    const raw = data[f.apiName ?? f.name];
    if (f.kind === 'bool') out[f.name] = raw === true;
    else if (f.kind === 'money') out[f.name] = typeof raw === 'number' ? String(raw / 100) : '';
    else if (f.kind === 'secret') out[f.name] = '';
    else out[f.name] = raw === null || raw === undefined ? '' : String(raw);
  }
  return out;
}

export function SettingsPage() {
  const { lang } = useI18n();
  const tx = (k: SettingsKey, v?: Record<string, string>) => settingsText(lang, k, v);
  const session = useSession();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab = TABS.includes(params.get('tab') ?? '') ? (params.get('tab') as string) : 'organisation';
  const q = useQuery({ queryKey: ['settings'], queryFn: () => api<SettingsView>('/settings') });
  const canEdit = session.user.role === 'admin';

  async function save(section: string, body: Record<string, unknown>) {
    const next = await api<SettingsView>('/settings', { method: 'PUT', body: { [section]: body } });
    qc.setQueryData(['settings'], next);
  }

  const s = q.data;
  const smtp = s?.channels.smtp;
  const notes: Record<string, React.ReactNode> = {
    smtpUrl: (
      <p className="muted hint">
        {tx('smtpCurrent')}{' '}
        {smtp
          ? `${smtp.secure ? 'smtps' : 'smtp'}://${smtp.user ? `${smtp.user}@` : ''}${smtp.host}:${smtp.port}${smtp.hasPassword ? ` (${tx('passwordStored')})` : ''} — ${tx('smtpKeep')}`
          : tx('smtpNone')}
      </p>
    ),
    latePenaltyRate: s?.warnings.map((w) => (
      <p key={w.code} className="warning" role="note">
        {w.code === 'FLOOR_APPLIED' ? tx('w_FLOOR_APPLIED', { floor: lang === 'fr' ? (w.floor ?? '').replace('.', ',') : (w.floor ?? '') }) : tx('w_NO_RATE')}
      </p>
    )),
  };

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{tx('settings')}</h1>
      <div role="tablist" aria-label={tx('settings')} className="tabs">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            className={tab === name ? 'tab active' : 'tab'}
            onClick={() => setParams({ tab: name })}
          >
            {tx(`tab_${name}` as SettingsKey)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'users' ? (
          <UsersTab />
        ) : !s ? (
          <p aria-busy="true">…</p>
        ) : (
          <>
            {tab === 'organisation' && <LogoField canEdit={canEdit} />}
            <SectionForm
            key={tab}
            section={tab}
            fields={SECTIONS[tab] ?? []}
            initial={initialValues(tab, s)}
            lang={lang}
            canEdit={canEdit}
            notes={notes}
            save={(body) => save(tab, body)}
          />
          </>
        )}
      </div>
    </section>
  );
}
