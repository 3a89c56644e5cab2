import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, type Invoice, type Page } from '../api';
import { formatDate, formatMoney } from '../format';
import { type MessageKey, useI18n } from '../i18n';
import { type PolicyMessage, policiesText } from './policies.i18n';
import { useSession } from '../session';
import { CallForm } from './CallForm';
import { CustomerDunningPolicy } from './CustomerDunningPolicy';
import { CaseActions } from './CaseActions';
import { PortalLinkButton } from './PortalLinkButton';
import { CustomerSolvency } from './CustomerSolvency';
import { CustomerRisk } from './CustomerRisk';
import { useCollectors } from './Worklist';
import type { CustomerFileData, CustomerInfo, StatementLine, TimelineEntry } from './worklist-api';
import { useWorklistText, type WorklistKey } from './worklist.i18n';

function Section({
  title,
  id,
  children,
  empty = false,
}: {
  title: string;
  id: string;
  children: ReactNode;
  /** Show "Nothing." instead of an empty list. */
  empty?: boolean;
}) {
  const w = useWorklistText();
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {empty ? <p className="muted">{w('nothingHere')}</p> : children}
    </section>
  );
}

function InvoiceTable({ items, testId }: { items: Invoice[]; testId: string }) {
  const { t, locale } = useI18n();
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('invoiceNumber')}</th>
          <th scope="col">{t('dueDate')}</th>
          <th scope="col" className="num">
            {t('balanceDue')}
          </th>
          <th scope="col">{t('status')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id}>
            <td>{i.invoiceNumber}</td>
            <td>{formatDate(i.dueDate, locale)}</td>
            <td className="num">{formatMoney(i.balanceDue, locale)}</td>
            <td>{t(`st_${i.status}` as MessageKey)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface SentMessage {
  channel: string;
  subject: string;
  html: string;
  text: string;
  sms: string;
  letter: string;
  matchesEvidence: boolean;
}

/** The stored copy of a sent reminder, fetched when opened, with the server's hash check. */
function SentMessageBody({ customerId, actionId }: { customerId: string; actionId: string }) {
  const w = useWorklistText();
  const m = useQuery({
    queryKey: ['sent-message', customerId, actionId],
    queryFn: () => api<SentMessage>(`/customers/${customerId}/messages/${actionId}`),
  });
  if (!m.data) return null;
  const d = m.data;
  const body = d.channel === 'email' ? null : d.channel === 'sms' ? d.sms : d.letter || d.text;
  return (
    <div className="sent-message" data-testid="sent-message">
      <p className={d.matchesEvidence ? 'ok' : 'error'}>{d.matchesEvidence ? w('hashMatches') : w('hashMismatch')}</p>
      {d.channel === 'email' ? (
        // Sandboxed: the debtor's copy is shown, never run (no scripts, no same-origin access).
        <iframe title={w('messageHtml')} sandbox="" srcDoc={d.html} className="sent-html" />
      ) : (
        <pre className="payload">{body}</pre>
      )}
    </div>
  );
}

/** A channel's name as the user reads it (the policies' labels), never its internal key. */
function channelLabel(channel: string, lang: 'fr' | 'en'): string {
  const key = `ch_${channel}`;
  const t = policiesText(lang);
  return key in CHANNEL_KEYS ? t(key as PolicyMessage) : channel === 'portal' ? (lang === 'en' ? 'Portal' : 'Portail') : channel;
}
const CHANNEL_KEYS = {
  ch_email: 1,
  ch_sms: 1,
  ch_letter: 1,
  ch_registered_letter: 1,
  ch_call_task: 1,
  ch_portal_notice: 1,
} as const;

/** A timeline entry; a message shows what was sent: subject, body as sent, content hash and the letter PDF. */
function TimelineItem({ e, customerId }: { e: TimelineEntry; customerId: string }) {
  const w = useWorklistText();
  const { lang } = useI18n();
  const p = e.payload;
  const sent = e.kind === 'message_sent';
  const [open, setOpen] = useState(false);
  const actionId = typeof p.actionId === 'string' ? p.actionId : null;
  const documentId = typeof p.documentId === 'string' ? p.documentId : null;
  return (
    <li data-kind={e.kind}>
      <span className="muted">{new Date(e.at).toLocaleString()}</span>{' '}
      {e.channel && <span className="badge">{channelLabel(e.channel, lang === 'en' ? 'en' : 'fr')}</span>} {e.text ? e.text[lang === 'en' ? 'en' : 'fr'] : e.summary}
      {sent && (
        <details onToggle={(ev) => setOpen(ev.currentTarget.open)}>
          <summary>{w('asSent')}</summary>
          {open && actionId && <SentMessageBody customerId={customerId} actionId={actionId} />}
          {typeof p.subject === 'string' && (
            <p>
              {w('subject')}: {p.subject}
            </p>
          )}
          {e.contentSha256 && <p className="muted">SHA-256 {e.contentSha256}</p>}
          {documentId && (
            <a href={`/api/v1/documents/${documentId}/content`} target="_blank" rel="noreferrer">
              {w('download')}
            </a>
          )}
          <pre className="payload">{JSON.stringify(p, null, 2)}</pre>
        </details>
      )}
    </li>
  );
}

export function CustomerFilePage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const w = useWorklistText();
  const session = useSession();
  const [calling, setCalling] = useState(false);
  const collectors = useCollectors();
  const customer = useQuery({ queryKey: ['customer', id], queryFn: () => api<CustomerInfo>(`/customers/${id}`) });
  const file = useQuery({ queryKey: ['customer-file', id], queryFn: () => api<CustomerFileData>(`/customers/${id}/file`) });
  const open = useQuery({
    queryKey: ['invoices', 'customer-open', id],
    queryFn: () => api<Page<Invoice>>(`/invoices?customerId=${id}&status=open,partially_paid,disputed&limit=200`),
  });
  const paid = useQuery({
    queryKey: ['invoices', 'customer-paid', id],
    queryFn: () => api<Page<Invoice>>(`/invoices?customerId=${id}&status=paid,credited,written_off&limit=10&sort=-dueDate`),
  });
  const statement = useQuery({
    queryKey: ['statement', id],
    queryFn: () => api<{ lines: StatementLine[] }>(`/customers/${id}/statement`),
  });
  const timeline = useQuery({
    queryKey: ['timeline', id],
    queryFn: () => api<{ intact: boolean; entries: TimelineEntry[] }>(`/customers/${id}/timeline`),
  });

  if (customer.isPending) return <p aria-busy="true">{t('loading')}</p>;
  if (customer.isError) return <p role="alert">{t('error')}</p>;
  const c = customer.data;
  const f = file.data;
  const collectorName = (uid: string | null) =>
    uid ? (collectors.data?.items.find((x) => x.id === uid)?.name ?? uid) : '—';

  return (
    <article aria-labelledby="cf-title" className="customer-file">
      <header className="row">
        <h1 id="cf-title">{c.name}</h1>
        <span className="muted">{c.externalRef}</span>
        <span className="badge">{w(`seg_${c.segment}` as WorklistKey)}</span>
        {session.user.role !== 'viewer' && (
          <button type="button" onClick={() => setCalling(!calling)} aria-expanded={calling}>
            {w('logCall')}
          </button>
        )}
      </header>
      {session.user.role !== 'viewer' && (
        <PortalLinkButton customerId={c.id} email={c.contacts.find((ct) => ct.email)?.email ?? null} />
      )}
      {calling && <CallForm customerId={c.id} customerName={c.name} onDone={() => setCalling(false)} />}
      {/* Pauses, disputes, promises and the credit hold, each with what a collector can do to it. */}
      <CaseActions customerId={c.id} />
      <CustomerSolvency customerId={c.id} currency={c.balances[0]?.currency ?? 'EUR'} />
      <CustomerRisk customerId={c.id} />
      <dl className="facts">
        {c.balances.map((b) => (
          <div key={b.currency}>
            <dt>
              {t('balanceDue')} ({b.currency})
            </dt>
            <dd>
              {formatMoney(b.totalDue, locale)} — {t('overdue')} {formatMoney(b.overdue, locale)}
            </dd>
          </div>
        ))}
        <div>
          <dt>{w('collector')}</dt>
          <dd>{collectorName(c.assignedCollector)}</dd>
        </div>
        <div>
          <dt>{w('policy')}</dt>
          <dd data-testid="policy">
            {f?.policy.key
              ? `${f.policy.name ?? f.policy.key} (v${f.policy.version})${f.policy.nextActionDate ? ` — ${w('nextAction')} ${formatDate(f.policy.nextActionDate, locale)}` : ''}`
              : (f?.policy.overrideKey ?? w('noPolicy'))}
          </dd>
        </div>
      </dl>
      <CustomerDunningPolicy customerId={c.id} />
      <Section title={w('timeline')} id="cf-timeline">
        {timeline.data && (
          <>
            <p className={timeline.data.intact ? 'ok' : 'error'}>
              {timeline.data.intact ? w('chainIntact') : w('chainBroken')}
            </p>
            <ol reversed className="timeline" data-testid="timeline">
              {[...timeline.data.entries].reverse().map((e) => (
                <TimelineItem key={e.seq} e={e} customerId={id} />
              ))}
            </ol>
          </>
        )}
      </Section>
      <div className="grid2">
        <Section title={w('contacts')} id="cf-contacts" empty={c.contacts.length === 0}>
          <ul>
            {c.contacts.map((ct) => (
              <li key={ct.id}>
                {ct.name ?? '—'} {ct.role && <span className="muted">({ct.role})</span>} {ct.email} {ct.phone}
              </li>
            ))}
          </ul>
        </Section>
        <Section title={w('tasks')} id="cf-tasks" empty={f?.openTasks.length === 0}>
          <ul>
            {(f?.openTasks ?? []).map((tk) => (
              <li key={tk.id}>
                {formatDate(tk.dueDate, locale)} — {tk.title}
              </li>
            ))}
          </ul>
        </Section>
        <Section title={w('openItems')} id="cf-open">
          {open.data && <InvoiceTable items={open.data.items} testId="open-items" />}
        </Section>
        <Section title={w('notes')} id="cf-notes">
          {f?.notes && <p className="pre">{f.notes}</p>}
          <ul>
            {(f?.calls ?? []).map((l) => (
              <li key={l.id}>
                {new Date(l.loggedAt).toLocaleString(locale)} — {w(`o_${l.outcome}` as WorklistKey)}
                {l.note ? ` — ${l.note}` : ''}
              </li>
            ))}
          </ul>
        </Section>
        <Section title={w('documents')} id="cf-docs" empty={f?.documents.length === 0}>
          <ul>
            {(f?.documents ?? []).map((d) => (
              <li key={d.id}>
                <a href={`/api/v1/documents/${d.id}/content`} target="_blank" rel="noreferrer">
                  {d.filename}
                </a>{' '}
                <span className="muted">({d.kind})</span>
              </li>
            ))}
          </ul>
        </Section>
      </div>
      <Section title={w('statement')} id="cf-statement">
        <div className="scroll">
        <table data-testid="statement">
          <thead>
            <tr>
              <th scope="col">{w('date')}</th>
              <th scope="col">{w('reference')}</th>
              <th scope="col" className="num">
                {w('debit')}
              </th>
              <th scope="col" className="num">
                {w('credit')}
              </th>
              <th scope="col" className="num">
                {w('balance')}
              </th>
            </tr>
          </thead>
          <tbody>
            {(statement.data?.lines ?? []).map((l) => (
              <tr key={`${l.kind}-${l.id}`}>
                <td>{formatDate(l.date, locale)}</td>
                <td>
                  {w(`l_${l.kind}` as WorklistKey)} {l.reference}
                </td>
                <td className="num">{l.debit.amount ? formatMoney(l.debit, locale) : ''}</td>
                <td className="num">{l.credit.amount ? formatMoney(l.credit, locale) : ''}</td>
                <td className="num">{formatMoney(l.balance, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </Section>
      <Section title={w('paidItems')} id="cf-paid">
        {paid.data && <InvoiceTable items={paid.data.items} testId="paid-items" />}
      </Section>
    </article>
  );
}
