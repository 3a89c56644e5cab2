import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api';
import { addDaysIso, fieldErrors, isoToday } from './worklist-api';
import { useWorklistText, type WorklistKey } from './worklist.i18n';

const OUTCOMES = ['promise', 'dispute', 'no_answer', 'paid', 'other'] as const;
const REASONS = ['not_received', 'quality', 'price', 'quantity', 'already_paid', 'duplicate', 'contract', 'other'] as const;

/**
 * Log a call in a few keystrokes: the outcome select has focus (type "p" for promise), the
 * promise date defaults to a week from today, Enter saves, Escape closes. Server validation
 * errors appear under the field they name.
 */
export function CallForm(props: {
  customerId: string;
  customerName: string;
  invoiceId?: string | null;
  taskId?: string | null;
  /** saved: false when cancelled. */
  onDone: (saved: boolean) => void;
}) {
  const t = useWorklistText();
  const qc = useQueryClient();
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('promise');
  const [promiseDate, setPromiseDate] = useState(addDaysIso(isoToday(), 7));
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState<(typeof REASONS)[number]>('quality');
  const [note, setNote] = useState('');
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);

  const m = useMutation({
    mutationFn: () =>
      api(`/customers/${props.customerId}/calls`, {
        method: 'POST',
        body: {
          outcome,
          note: note.trim() || undefined,
          ...(outcome === 'promise' ? { promiseDate } : {}),
          ...(outcome === 'promise' && amount.trim()
            ? { promiseAmountMinor: Math.round(Number(amount.replace(',', '.')) * 100) }
            : {}),
          ...(outcome === 'dispute' ? { disputeReason: reason } : {}),
          ...(props.invoiceId ? { invoiceId: props.invoiceId } : {}),
          ...(props.taskId ? { taskId: props.taskId } : {}),
        },
      }),
    onSuccess: async () => {
      await qc.invalidateQueries();
      props.onDone(true);
    },
  });
  const errors = fieldErrors(m.error);
  const err = (field: string) =>
    errors[field] ? (
      <span className="error" id={`call-${field}-error`} role="alert">
        {errors[field]}
      </span>
    ) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    m.mutate();
  }

  return (
    <form
      className="card callform"
      aria-label={`${t('logCallFor')} ${props.customerName}`}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onDone(false);
      }}
    >
      <strong>
        {t('logCallFor')} {props.customerName}
      </strong>
      <label>
        {t('outcome')}{' '}
        <select
          ref={first}
          value={outcome}
          onChange={(e) => setOutcome(e.target.value as (typeof OUTCOMES)[number])}
          aria-describedby={errors.outcome ? 'call-outcome-error' : undefined}
        >
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`o_${o}` as WorklistKey)}
            </option>
          ))}
        </select>
      </label>
      {err('outcome')}
      {outcome === 'promise' && (
        <>
          <label>
            {t('promiseDate')}{' '}
            <input
              type="date"
              value={promiseDate}
              onChange={(e) => setPromiseDate(e.target.value)}
              aria-invalid={Boolean(errors.promiseDate)}
              aria-describedby={errors.promiseDate ? 'call-promiseDate-error' : undefined}
            />
          </label>
          {err('promiseDate')}
          <label>
            {t('promiseAmount')}{' '}
            <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} size={10} />
          </label>
          {err('promiseAmountMinor')}
        </>
      )}
      {outcome === 'dispute' && (
        <>
          <label>
            {t('disputeReason')}{' '}
            <select value={reason} onChange={(e) => setReason(e.target.value as (typeof REASONS)[number])}>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`r_${r}` as WorklistKey)}
                </option>
              ))}
            </select>
          </label>
          {err('disputeReason')}
        </>
      )}
      <label>
        {t('note')} <input value={note} onChange={(e) => setNote(e.target.value)} size={40} />
      </label>
      {err('note')}
      {err('invoiceId')}
      {err('taskId')}
      {m.isError && Object.keys(errors).length === 0 && (
        <p className="error" role="alert">
          {m.error instanceof ApiError ? (m.error.problem.detail ?? m.error.problem.title) : String(m.error)}
        </p>
      )}
      <div className="row">
        <button type="submit" disabled={m.isPending}>
          {t('save')}
        </button>
        <button type="button" className="secondary" onClick={() => props.onDone(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
