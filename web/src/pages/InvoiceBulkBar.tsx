import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api';
import { useCollectors } from './Worklist';
import { addDaysIso, fieldErrors, isoToday } from './worklist-api';
import { useWorklistText, type WorklistKey } from './worklist.i18n';

const REASONS = ['not_received', 'quality', 'price', 'quantity', 'already_paid', 'duplicate', 'contract', 'other'] as const;
type Action = 'pause' | 'assign' | 'dispute';

/** Pause, assign or dispute the selected invoices in one request: all or nothing. */
export function InvoiceBulkBar({
  selected,
  onDone,
}: {
  selected: string[];
  /** Called with how many invoices changed; the bar unmounts once nothing is selected. */
  onDone: (changed: number) => void;
}) {
  const t = useWorklistText();
  const qc = useQueryClient();
  const collectors = useCollectors();
  const [action, setAction] = useState<Action>('pause');
  const [until, setUntil] = useState(addDaysIso(isoToday(), 14));
  const [reason, setReason] = useState('');
  const [collector, setCollector] = useState('');
  const [disputeReason, setDisputeReason] = useState<(typeof REASONS)[number]>('quality');
  const m = useMutation({
    mutationFn: () =>
      api<{ changed: number }>('/invoices/bulk', {
        method: 'POST',
        body:
          action === 'pause'
            ? { action, invoiceIds: selected, until, reason }
            : action === 'assign'
              ? { action, invoiceIds: selected, collector: collector || null }
              : { action, invoiceIds: selected, disputeReason },
      }),
    onSuccess: async (r) => {
      await qc.invalidateQueries();
      onDone(r.changed);
    },
  });
  const errors = fieldErrors(m.error);
  const err = (field: string) =>
    errors[field] ? (
      <span className="error" role="alert">
        {errors[field]}
      </span>
    ) : null;
  function submit(e: FormEvent) {
    e.preventDefault();
    m.mutate();
  }
  return (
    <form className="row card bulkbar" aria-label="Bulk" onSubmit={submit}>
      <strong>
        {selected.length} {t('selected')}
      </strong>
      <label>
        <span className="sr-only">Action</span>
        <select value={action} onChange={(e) => setAction(e.target.value as Action)}>
          <option value="pause">{t('bulkPause')}</option>
          <option value="assign">{t('bulkAssign')}</option>
          <option value="dispute">{t('bulkDispute')}</option>
        </select>
      </label>
      {action === 'pause' && (
        <>
          <label>
            {t('until')} <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
          </label>
          {err('until')}
          <label>
            {t('reason')} <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          {err('reason')}
        </>
      )}
      {action === 'assign' && (
        <label>
          {t('assignTo')}{' '}
          <select value={collector} onChange={(e) => setCollector(e.target.value)}>
            <option value="">{t('nobody')}</option>
            {(collectors.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {action === 'dispute' && (
        <label>
          {t('disputeReason')}{' '}
          <select
            value={disputeReason}
            onChange={(e) => setDisputeReason(e.target.value as (typeof REASONS)[number])}
          >
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`r_${r}` as WorklistKey)}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" disabled={selected.length === 0 || m.isPending}>
        {t('apply')}
      </button>
      {err('invoiceIds')}
      {m.isError && !errors.invoiceIds && !errors.until && !errors.reason && (
        <span className="error" role="alert">
          {m.error instanceof ApiError ? (m.error.problem.detail ?? m.error.problem.title) : String(m.error)}
        </span>
      )}
    </form>
  );
}
