import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api';
import { formatDate, formatMoney } from '../format';
import { useI18n } from '../i18n';
import { parseMinor } from '../portal/money';
import type { CustomerCase } from './case-actions-api';
import { useCaseText } from './case-actions.i18n';
import { addDaysIso, fieldErrors, isoToday } from './worklist-api';

// The small dialogs of the case actions panel (CaseActions.tsx), one per action.

type Dispute = CustomerCase['disputes'][number];
type Pause = CustomerCase['pauses'][number];
type PromiseToPay = CustomerCase['promises'][number];

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

export function HoldForm({ customerId, hold, onDone }: { customerId: string; hold: boolean; onDone: (ok: boolean) => void }) {
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

export function PauseForm({ customerId, onDone }: { customerId: string; onDone: (ok: boolean) => void }) {
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

export function EndPauseForm({ pause, onDone }: { pause: Pause; onDone: (ok: boolean) => void }) {
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

export function ResolveForm({ dispute, onDone }: { dispute: Dispute; onDone: (ok: boolean) => void }) {
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

export function ClosePromiseForm(props: {
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
