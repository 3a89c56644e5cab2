import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api } from '../api';
import { formatDate, formatMoney } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { type CustomerCase, pauseHolds } from './case-actions-api';
import { type CaseKey, useCaseText } from './case-actions.i18n';
import { ClosePromiseForm, EndPauseForm, HoldForm, PauseForm, ResolveForm } from './CaseForms';
import { isoToday } from './worklist-api';
import { useWorklistText, type WorklistKey } from './worklist.i18n';
import './case-actions.css';

type Dispute = CustomerCase['disputes'][number];
type Pause = CustomerCase['pauses'][number];
type PromiseToPay = CustomerCase['promises'][number];
type Panel =
  | { kind: 'hold' }
  | { kind: 'pause' }
  | { kind: 'endPause'; pause: Pause }
  | { kind: 'resolve'; dispute: Dispute }
  | { kind: 'promise'; promise: PromiseToPay; status: 'kept' | 'broken' | 'cancelled' }
  | null;

/**
 * What holds the customer's dunning, each with the action that ends it: credit hold
 * (put on / release), account pause, ending a pause, resolving a dispute, closing a promise.
 * Every action asks for a reason in a small dialog; the server's field errors show under the
 * field. Viewers see the states without the buttons.
 */
export function CaseActions({ customerId }: { customerId: string }) {
  const k = useCaseText();
  const { locale } = useI18n();
  const session = useSession();
  const canWrite = session.user.role !== 'viewer';
  const [panel, setPanel] = useState<Panel>(null);
  const [saved, setSaved] = useState(false);
  const data = useQuery({
    queryKey: ['customer-case', customerId],
    queryFn: () => api<CustomerCase>(`/customers/${customerId}/case`),
  });
  const today = isoToday();
  const open = (p: Panel) => {
    setSaved(false);
    setPanel(p);
  };
  const done = (ok: boolean) => {
    setPanel(null);
    setSaved(ok);
  };
  const button = (label: string, p: Panel, className = 'small') =>
    canWrite ? (
      <button type="button" className={className} onClick={() => open(p)}>
        {label}
      </button>
    ) : null;
  if (!data.data) return null;
  const c = data.data;

  return (
    <section className="card case-actions" aria-labelledby="cf-case" data-testid="case-actions">
      <h2 id="cf-case">{k('caseTitle')}</h2>
      <p className="muted">{k('caseIntro')}</p>
      <div className="row">
        <span>{k('creditHold')}</span>
        <span className={c.creditHold.on ? 'badge hold' : 'badge'} data-testid="case-credit-hold">
          {c.creditHold.on ? k('holdOn') : k('holdOff')}
          {c.creditHold.on && c.creditHold.reason ? ` — ${c.creditHold.reason}` : ''}
          {c.creditHold.on && c.creditHold.since
            ? ` (${k('holdSince')} ${formatDate(c.creditHold.since.slice(0, 10), locale)})`
            : ''}
        </span>
        {button(c.creditHold.on ? k('releaseHold') : k('putOnHold'), { kind: 'hold' })}
        <span className="spacer" />
        {button(k('pauseAccount'), { kind: 'pause' }, '')}
      </div>
      {saved && (
        <p role="status" className="ok">
          {k('saved')}
        </p>
      )}
      {panel?.kind === 'hold' && <HoldForm customerId={customerId} hold={!c.creditHold.on} onDone={done} />}
      {panel?.kind === 'pause' && <PauseForm customerId={customerId} onDone={done} />}

      <h3 className="sub">{k('pauses')}</h3>
      <ul className="case-list" data-testid="case-pauses">
        {c.pauses.length === 0 && <li className="muted">{k('nothing')}</li>}
        {c.pauses.map((p) => {
          const holds = pauseHolds(p, today);
          return (
            <li key={p.id} className={holds ? '' : 'closed'} data-pause={p.id}>
              <span>
                {p.invoice ? `${k('invoicePause')} ${p.invoice.invoiceNumber}` : k('accountPause')} — {k('until')}{' '}
                {formatDate(p.until, locale)} ({p.reason})
                {p.endedAt
                  ? ` — ${k('ended')} ${formatDate(p.endedAt.slice(0, 10), locale)}${p.endReason ? ` (${p.endReason})` : ''}`
                  : holds
                    ? ''
                    : ` — ${k('over')}`}
              </span>
              {holds && button(k('endPause'), { kind: 'endPause', pause: p })}
              {panel?.kind === 'endPause' && panel.pause.id === p.id && (
                <EndPauseForm pause={p} onDone={done} />
              )}
            </li>
          );
        })}
      </ul>

      <h3 className="sub">{k('disputes')}</h3>
      <ul className="case-list" data-testid="case-disputes">
        {c.disputes.length === 0 && <li className="muted">{k('nothing')}</li>}
        {c.disputes.map((d) => (
          <DisputeRow
            key={d.id}
            d={d}
            action={d.status === 'open' ? button(k('resolve'), { kind: 'resolve', dispute: d }) : null}
            form={panel?.kind === 'resolve' && panel.dispute.id === d.id ? <ResolveForm dispute={d} onDone={done} /> : null}
          />
        ))}
      </ul>

      <h3 className="sub">{k('promises')}</h3>
      <ul className="case-list" data-testid="case-promises">
        {c.promises.length === 0 && <li className="muted">{k('nothing')}</li>}
        {c.promises.map((p) => (
          <li key={p.id} className={p.status === 'active' ? '' : 'closed'}>
            <span>
              {formatMoney(p.amount, locale)} {k('promisedFor')} {formatDate(p.promisedDate, locale)} —{' '}
              {k(`ps_${p.status}` as CaseKey)}
              {p.resolution ? ` (${p.resolution})` : ''}
            </span>
            {p.status === 'active' && (
              <>
                {button(k('markKept'), { kind: 'promise', promise: p, status: 'kept' })}
                {button(k('markBroken'), { kind: 'promise', promise: p, status: 'broken' })}
                {button(k('cancelPromise'), { kind: 'promise', promise: p, status: 'cancelled' }, 'small secondary')}
              </>
            )}
            {panel?.kind === 'promise' && panel.promise.id === p.id && (
              <ClosePromiseForm promise={p} status={panel.status} onDone={done} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DisputeRow({ d, action, form }: { d: Dispute; action: ReactNode; form: ReactNode }) {
  const k = useCaseText();
  const w = useWorklistText();
  const { locale } = useI18n();
  return (
    <li className={d.status === 'open' ? '' : 'closed'} data-dispute={d.id}>
      <span>
        {d.invoice.invoiceNumber} — {w(`r_${d.reasonCode}` as WorklistKey)} —{' '}
        <span data-testid="dispute-status">{k(`ds_${d.status}` as CaseKey)}</span>
        {d.resolution ? ` (${d.resolution})` : ''}
        {d.creditNote ? ` — ${d.creditNote.creditNoteNumber} ${formatMoney(d.creditNote.amount, locale)}` : ''}
      </span>
      {action}
      {form}
    </li>
  );
}
