import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api';
import { formatDate, formatMoney } from '../format';
import { useI18n } from '../i18n';
import { parseMinor } from '../portal/money';
import { useSession } from '../session';
import { type CustomerCase, pauseHolds } from './case-actions-api';
import { type CaseKey, useCaseText } from './case-actions.i18n';
import { addDaysIso, fieldErrors, isoToday } from './worklist-api';
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

/** POST a case action; on success every query is refreshed (file, case, timeline, invoices). */
function useCaseAction(path: string, onDone: (ok: boolean) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => api(path, { method: 'POST', body }),
    onSuccess: async () => {
      await qc.invalidateQueries();
      onDone(true);
    },
  });
}

function CaseDialog(props: {
  id: string;
  title: string;
  error: unknown;
  errors: Record<string, string>;
  pending: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const k = useCaseText();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.querySelector<HTMLElement>('input, select')?.focus(), []);
  const other = props.error && Object.keys(props.errors).length === 0;
  return (
    <div ref={ref} role="dialog" aria-labelledby={`${props.id}-h`} className="card case-dialog">
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          props.onSubmit();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onCancel();
        }}
        className="case-dialog"
      >
        <h3 id={`${props.id}-h`}>{props.title}</h3>
        {props.children}
        {other ? (
          <p className="error" role="alert">
            {props.error instanceof ApiError
              ? (props.error.problem.detail ?? props.error.problem.title)
              : String(props.error)}
          </p>
        ) : null}
        <div className="row">
          <button type="submit" disabled={props.pending}>
            {k('save')}
          </button>
          <button type="button" className="secondary" onClick={props.onCancel}>
            {k('cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

/** A labelled input with the server's (or the form's) error for its field right under it. */
function Field(props: {
  id: string;
  field: string;
  label: string;
  errors: Record<string, string>;
  children: (a: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}) {
  const error = props.errors[props.field];
  const inputId = `${props.id}-${props.field}`;
  return (
    <>
      <label htmlFor={inputId}>{props.label}</label>
      {props.children({
        id: inputId,
        'aria-invalid': Boolean(error),
        'aria-describedby': error ? `${inputId}-error` : undefined,
      })}
      {error && (
        <span className="error" id={`${inputId}-error`} role="alert">
          {error}
        </span>
      )}
    </>
  );
}

function HoldForm({ customerId, hold, onDone }: { customerId: string; hold: boolean; onDone: (ok: boolean) => void }) {
  const k = useCaseText();
  const [reason, setReason] = useState('');
  const m = useCaseAction(`/customers/${customerId}/credit-hold`, onDone);
  const errors = fieldErrors(m.error);
  return (
    <CaseDialog
      id="case-hold"
      title={hold ? k('putOnHold') : k('releaseHold')}
      error={m.error}
      errors={errors}
      pending={m.isPending}
      onSubmit={() => m.mutate({ hold, reason })}
      onCancel={() => onDone(false)}
    >
      <Field id="case-hold" field="reason" label={k('reason')} errors={errors}>
        {(a) => <input {...a} value={reason} onChange={(e) => setReason(e.target.value)} size={40} />}
      </Field>
    </CaseDialog>
  );
}

function PauseForm({ customerId, onDone }: { customerId: string; onDone: (ok: boolean) => void }) {
  const k = useCaseText();
  const [until, setUntil] = useState(addDaysIso(isoToday(), 14));
  const [reason, setReason] = useState('');
  const m = useCaseAction(`/customers/${customerId}/pauses`, onDone);
  const errors = fieldErrors(m.error);
  return (
    <CaseDialog
      id="case-pause"
      title={k('pauseAccount')}
      error={m.error}
      errors={errors}
      pending={m.isPending}
      onSubmit={() => m.mutate({ until, reason })}
      onCancel={() => onDone(false)}
    >
      <Field id="case-pause" field="until" label={k('pauseUntil')} errors={errors}>
        {(a) => <input {...a} type="date" value={until} onChange={(e) => setUntil(e.target.value)} />}
      </Field>
      <Field id="case-pause" field="reason" label={k('reason')} errors={errors}>
        {(a) => <input {...a} value={reason} onChange={(e) => setReason(e.target.value)} size={40} />}
      </Field>
    </CaseDialog>
  );
}

function EndPauseForm({ pause, onDone }: { pause: Pause; onDone: (ok: boolean) => void }) {
  const k = useCaseText();
  const [reason, setReason] = useState('');
  const m = useCaseAction(`/pauses/${pause.id}/end`, onDone);
  const errors = fieldErrors(m.error);
  return (
    <CaseDialog
      id="case-end-pause"
      title={k('endPauseTitle')}
      error={m.error}
      errors={errors}
      pending={m.isPending}
      onSubmit={() => m.mutate({ reason: reason.trim() || null })}
      onCancel={() => onDone(false)}
    >
      <Field id="case-end-pause" field="reason" label={`${k('reason')} ${k('optional')}`} errors={errors}>
        {(a) => <input {...a} value={reason} onChange={(e) => setReason(e.target.value)} size={40} />}
      </Field>
    </CaseDialog>
  );
}

function ResolveForm({ dispute, onDone }: { dispute: Dispute; onDone: (ok: boolean) => void }) {
  const k = useCaseText();
  const { locale } = useI18n();
  const [outcome, setOutcome] = useState<'upheld' | 'rejected'>('rejected');
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  const m = useCaseAction(`/disputes/${dispute.id}/resolve`, onDone);
  const errors = { ...fieldErrors(m.error), ...(amountError ? { creditNoteAmountMinor: amountError } : {}) };
  function submit() {
    let creditNoteAmountMinor: number | undefined;
    if (outcome === 'upheld') {
      const minor = parseMinor(amount, dispute.balanceDue.currency);
      if (minor === null) {
        setAmountError(k('invalidAmount'));
        return;
      }
      creditNoteAmountMinor = minor > 0 ? minor : undefined;
    }
    setAmountError(null);
    m.mutate({ outcome, reason, comment: comment.trim() || null, creditNoteAmountMinor });
  }
  return (
    <CaseDialog
      id="case-resolve"
      title={`${k('resolveTitle')} ${dispute.invoice.invoiceNumber}`}
      error={m.error}
      errors={errors}
      pending={m.isPending}
      onSubmit={submit}
      onCancel={() => onDone(false)}
    >
      <Field id="case-resolve" field="outcome" label={k('outcome')} errors={errors}>
        {(a) => (
          <select {...a} value={outcome} onChange={(e) => setOutcome(e.target.value as 'upheld' | 'rejected')}>
            <option value="rejected">{k('rejected')}</option>
            <option value="upheld">{k('upheld')}</option>
          </select>
        )}
      </Field>
      <Field id="case-resolve" field="reason" label={k('reason')} errors={errors}>
        {(a) => <input {...a} value={reason} onChange={(e) => setReason(e.target.value)} size={40} />}
      </Field>
      <Field id="case-resolve" field="comment" label={`${k('comment')} ${k('optional')}`} errors={errors}>
        {(a) => <input {...a} value={comment} onChange={(e) => setComment(e.target.value)} size={40} />}
      </Field>
      {outcome === 'upheld' && (
        <Field
          id="case-resolve"
          field="creditNoteAmountMinor"
          label={`${k('creditNote')} ${k('optional')} — ${k('creditNoteHint')} ${formatMoney(dispute.balanceDue, locale)}`}
          errors={errors}
        >
          {(a) => <input {...a} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} size={12} />}
        </Field>
      )}
    </CaseDialog>
  );
}

function ClosePromiseForm(props: {
  promise: PromiseToPay;
  status: 'kept' | 'broken' | 'cancelled';
  onDone: (ok: boolean) => void;
}) {
  const k = useCaseText();
  const { locale } = useI18n();
  const [reason, setReason] = useState('');
  const m = useCaseAction(`/promises/${props.promise.id}/close`, props.onDone);
  const errors = fieldErrors(m.error);
  const label = { kept: k('markKept'), broken: k('markBroken'), cancelled: k('cancelPromise') }[props.status];
  return (
    <CaseDialog
      id="case-promise"
      title={`${k('closePromiseTitle')} ${formatDate(props.promise.promisedDate, locale)} — ${label}`}
      error={m.error}
      errors={errors}
      pending={m.isPending}
      onSubmit={() => m.mutate({ status: props.status, reason })}
      onCancel={() => props.onDone(false)}
    >
      <Field id="case-promise" field="reason" label={k('reason')} errors={errors}>
        {(a) => <input {...a} value={reason} onChange={(e) => setReason(e.target.value)} size={40} />}
      </Field>
    </CaseDialog>
  );
}
