import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Money, type Page } from '../api';
import { formatDate, formatMoney, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { CallForm } from './CallForm';
import { useDailyText } from './daily.i18n';
import type { WorklistEntry } from './worklist-api';
import { useWorklistText, type WorklistKey } from './worklist.i18n';

export interface WorklistCustomer {
  customer: { id: string; name: string };
  items: number;
  tasks: number;
  atStake: Money[];
  maxDaysLate: number;
  pendingSends: number;
  entries: WorklistEntry[];
}

function CloseTask({ taskId, onDone }: { taskId: string; onDone: () => void }) {
  const d = useDailyText();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState('');
  const m = useMutation({
    mutationFn: () => api(`/tasks/${taskId}/complete`, { method: 'POST', body: { outcome } }),
    onSuccess: async () => {
      setOpen(false);
      onDone();
      await qc.invalidateQueries({ queryKey: ['worklist'] });
    },
  });
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        {d('closeTask')}
      </button>
    );
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate();
      }}
    >
      <label>
        {d('closeTaskOutcome')}{' '}
        <input required maxLength={2000} value={outcome} onChange={(e) => setOutcome(e.target.value)} />
      </label>
      <button type="submit" disabled={m.isPending || outcome.trim() === ''}>
        {d('closeTaskSave')}
      </button>
      {m.isError && <span role="alert">{m.error.message}</span>}
    </form>
  );
}

/**
 * The worklist with one line per customer: what it owes in the rows, how late, how many sends
 * wait for approval, and the rows themselves folded in; a send is approved and a task closed
 * from the line.
 */
export function WorklistGrouped({
  assignee,
  kind,
  cursor,
  canWrite,
  onCursor,
}: {
  assignee: string;
  kind: string;
  cursor: string;
  canWrite: boolean;
  onCursor: (c: string | null) => void;
}) {
  const d = useDailyText();
  const w = useWorklistText();
  const { locale, t } = useI18n();
  const qc = useQueryClient();
  const [calling, setCalling] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const query = new URLSearchParams({ limit: '20' });
  if (assignee) query.set('assignee', assignee);
  if (kind) query.set('kind', kind);
  if (cursor) query.set('cursor', cursor);
  const q = useQuery({
    queryKey: ['worklist', 'customers', query.toString()],
    queryFn: () => api<Page<WorklistCustomer> & { asOf: string }>(`/worklist/customers?${query.toString()}`),
    placeholderData: keepPreviousData,
  });
  const approve = useMutation({
    mutationFn: (customerId: string) =>
      api('/dunning/approvals/approve', { method: 'POST', body: { customerIds: [customerId] } }),
    onSuccess: async () => {
      setMessage(d('sendApproved'));
      await qc.invalidateQueries({ queryKey: ['worklist'] });
    },
  });

  return (
    <>
      {message && (
        <p role="status" className="ok">
          {message}
        </p>
      )}
      {q.isPending ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : q.isError ? (
        <p role="alert">{t('error')}</p>
      ) : q.data.items.length === 0 ? (
        <p>{w('nothingHere')}</p>
      ) : (
        <ol className="worklist" data-testid="worklist-customers">
          {q.data.items.map((g) => (
            <li key={g.customer.id} className="card wl-customer" data-customer={g.customer.id}>
              <div className="row">
                <Link to={`/customers/${g.customer.id}`}>
                  <strong>{g.customer.name}</strong>
                </Link>
                {g.items > 0 && (
                  <span data-testid="items-count">
                    {g.items} {d('invoicesCount')}
                  </span>
                )}
                {g.tasks > 0 && (
                  <span className="badge task">
                    {g.tasks} {d('tasksCount')}
                  </span>
                )}
                {g.atStake.length > 0 && (
                  <span>
                    {d('atStake')}{' '}
                    <strong data-testid="at-stake">{g.atStake.map((m) => formatMoney(m, locale)).join(' + ')}</strong>
                  </span>
                )}
                {g.maxDaysLate > 0 && (
                  <span className="muted">
                    {formatNumber(g.maxDaysLate, locale)} {w('daysLateShort')} ({d('maxLate')})
                  </span>
                )}
                <span className="spacer" />
                {g.pendingSends > 0 && (
                  <>
                    <span className="badge">
                      {g.pendingSends} {d('pendingSends')}
                    </span>
                    {canWrite && (
                      <button
                        type="button"
                        disabled={approve.isPending}
                        onClick={() => {
                          setMessage(null);
                          approve.mutate(g.customer.id);
                        }}
                      >
                        {d('approveSend')}
                      </button>
                    )}
                  </>
                )}
                {canWrite && (
                  <button
                    type="button"
                    aria-expanded={calling === g.customer.id}
                    onClick={() => {
                      setMessage(null);
                      setCalling(calling === g.customer.id ? null : g.customer.id);
                    }}
                  >
                    {w('logCall')}
                  </button>
                )}
              </div>
              {calling === g.customer.id && (
                <CallForm
                  customerId={g.customer.id}
                  customerName={g.customer.name}
                  invoiceId={null}
                  taskId={null}
                  onDone={() => setCalling(null)}
                />
              )}
              <details>
                <summary>{d('showRows')}</summary>
                <ul className="wl-rows">
                  {g.entries.map((e) => (
                    <li key={e.id} className="row wl-row" data-kind={e.kind} data-type={e.type}>
                      <span className={`badge ${e.type}`}>{w(`k_${e.kind}` as WorklistKey)}</span>
                      {e.invoice && <span>{e.invoice.invoiceNumber}</span>}
                      {e.title && <span className="muted">{e.title}</span>}
                      {e.balanceDue && <span>{formatMoney(e.balanceDue, locale)}</span>}
                      <span className="muted">
                        {e.type === 'item' ? `${e.daysLate} ${w('daysLateShort')}` : formatDate(e.dueDate, locale)}
                      </span>
                      {e.priority && (
                        <span className="muted">
                          {w('score')} {formatNumber(e.priority.score, locale, 1)}
                        </span>
                      )}
                      {e.assignee?.name && <span className="muted">{e.assignee.name}</span>}
                      {canWrite && e.type === 'task' && (
                        <CloseTask taskId={e.id} onDone={() => setMessage(d('taskClosed'))} />
                      )}
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
        </ol>
      )}
      <nav className="row" aria-label="Pagination">
        <button type="button" disabled={!cursor} onClick={() => onCursor(null)}>
          {t('firstPage')}
        </button>
        <button type="button" disabled={!q.data?.nextCursor} onClick={() => onCursor(q.data?.nextCursor ?? null)}>
          {t('nextPage')}
        </button>
      </nav>
    </>
  );
}
