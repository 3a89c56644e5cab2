import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type Page } from '../api';
import { formatDate, formatMoney, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { CallForm } from './CallForm';
import './worklist.css';
import type { Collector, Factor, WorklistEntry } from './worklist-api';
import { useWorklistText, type WorklistKey } from './worklist.i18n';
import { useDailyText } from './daily.i18n';
import { WorklistGrouped } from './WorklistGrouped';

const KINDS = ['item', 'call', 'broken_promise', 'dispute', 'escalation_decision', 'reply', 'follow_up'] as const;
const PAGE_SIZE = 25;

export function useCollectors() {
  return useQuery({
    queryKey: ['collectors'],
    queryFn: () => api<{ items: Collector[] }>('/collectors'),
    staleTime: 60_000,
  });
}

function FactorList({ factors }: { factors: Factor[] }) {
  const t = useWorklistText();
  const { locale } = useI18n();
  const valueText = (f: Factor) => {
    switch (f.factor) {
      case 'amount':
        return formatNumber(f.value / 100, locale, 2);
      case 'lateness':
        return `${f.value} ${t('daysLateShort')}`;
      case 'recovery':
        return `${formatNumber(f.value * 100, locale)} %`;
      case 'strategic':
        return f.value ? t('yes') : t('no');
      case 'revenueShare':
        return `${formatNumber(f.value * 100, locale, 1)} %`;
    }
  };
  return (
    <ul className="factors">
      {factors.map((f) => (
        <li key={f.factor}>
          <span>{t(`f_${f.factor}` as WorklistKey)}</span> <span className="muted">({valueText(f)})</span>{' '}
          <strong>
            +{formatNumber(f.points, locale, 1)} / {f.max} {t('points')}
          </strong>
        </li>
      ))}
    </ul>
  );
}

function AssignSelect({ entry, collectors }: { entry: WorklistEntry; collectors: Collector[] }) {
  const t = useWorklistText();
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: (id: string | null) =>
      entry.type === 'task'
        ? api(`/tasks/${entry.id}/assign`, { method: 'POST', body: { assignee: id } })
        : api('/invoices/bulk', { method: 'POST', body: { action: 'assign', invoiceIds: [entry.id], collector: id } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['worklist'] }),
  });
  return (
    <select
      aria-label={`${t('assignTo')} — ${entry.customer.name}${entry.invoice ? ` ${entry.invoice.invoiceNumber}` : ''}`}
      value={entry.assignee?.id ?? ''}
      disabled={m.isPending}
      onChange={(e) => m.mutate(e.target.value || null)}
    >
      <option value="">{t('nobody')}</option>
      {collectors.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  );
}

export function WorklistPage() {
  const t = useWorklistText();
  const { locale, t: tc } = useI18n();
  const session = useSession();
  const canWrite = session.user.role !== 'viewer';
  const [params, setParams] = useSearchParams();
  const assignee = params.get('assignee') ?? '';
  const kind = params.get('kind') ?? '';
  const cursor = params.get('cursor') ?? '';
  // One line per customer unless the flat detail is asked for.
  const byItem = params.get('view') === 'items';
  const d = useDailyText();
  const [calling, setCalling] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const collectors = useCollectors();

  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (assignee) query.set('assignee', assignee);
  if (kind) query.set('kind', kind);
  if (cursor) query.set('cursor', cursor);
  const q = useQuery({
    queryKey: ['worklist', query.toString()],
    queryFn: () => api<Page<WorklistEntry> & { asOf: string }>(`/worklist?${query.toString()}`),
    placeholderData: keepPreviousData,
    enabled: byItem,
  });

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('cursor' in changes)) next.delete('cursor');
    setParams(next);
  }

  return (
    <section aria-labelledby="wl-title">
      <h1 id="wl-title">{t('worklistTitle')}</h1>
      <p className="muted">{t('worklistIntro')}</p>
      <div className="row filters">
        <label>
          {t('assignee')}{' '}
          <select value={assignee} onChange={(e) => update({ assignee: e.target.value || null })}>
            <option value="">{t('everyone')}</option>
            <option value="me">{t('me')}</option>
            <option value="unassigned">{t('unassigned')}</option>
            {(collectors.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('kind')}{' '}
          <select value={kind} onChange={(e) => update({ kind: e.target.value || null })}>
            <option value="">{t('allKinds')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`k_${k}` as WorklistKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {d('view')}{' '}
          <select value={byItem ? 'items' : ''} onChange={(e) => update({ view: e.target.value || null })}>
            <option value="">{d('viewByCustomer')}</option>
            <option value="items">{d('viewByItem')}</option>
          </select>
        </label>
      </div>
      {!byItem && (
        <WorklistGrouped
          assignee={assignee}
          kind={kind}
          cursor={cursor}
          canWrite={canWrite}
          onCursor={(c) => update({ cursor: c })}
        />
      )}
      {byItem && saved && (
        <p role="status" className="ok">
          {t('saved')}
        </p>
      )}
      {!byItem ? null : q.isPending ? (
        <p aria-busy="true">…</p>
      ) : q.isError ? (
        <p role="alert">{String(q.error)}</p>
      ) : q.data.items.length === 0 ? (
        <p>{t('nothingHere')}</p>
      ) : (
        <ol className="worklist" data-testid="worklist">
          {q.data.items.map((e) => (
            <li key={e.id} className="card wl-entry" data-kind={e.kind}>
              <div className="row">
                <span className={`badge ${e.type}`}>{t(`k_${e.kind}` as WorklistKey)}</span>
                <Link to={`/customers/${e.customer.id}`}>{e.customer.name}</Link>
                {e.invoice && <span>{e.invoice.invoiceNumber}</span>}
                {e.title && <span className="muted">{e.title}</span>}
                {e.balanceDue && <strong>{formatMoney(e.balanceDue, locale)}</strong>}
                <span className="muted">
                  {e.type === 'item'
                    ? `${e.daysLate} ${t('daysLateShort')}`
                    : formatDate(e.dueDate, locale)}
                </span>
                {e.priority && (
                  <details className="why">
                    <summary>
                      {t('score')} <strong data-testid="score">{formatNumber(e.priority.score, locale, 1)}</strong> —{' '}
                      {t('why')}
                    </summary>
                    <FactorList factors={e.priority.factors} />
                  </details>
                )}
                <span className="spacer" />
                {canWrite && collectors.data ? (
                  <AssignSelect entry={e} collectors={collectors.data.items} />
                ) : (
                  <span>{e.assignee?.name ?? ''}</span>
                )}
                {canWrite && (
                  <button
                    type="button"
                    onClick={() => {
                      setSaved(false);
                      setCalling(calling === e.id ? null : e.id);
                    }}
                    aria-expanded={calling === e.id}
                  >
                    {t('logCall')}
                  </button>
                )}
              </div>
              {calling === e.id && (
                <CallForm
                  customerId={e.customer.id}
                  customerName={e.customer.name}
                  invoiceId={e.invoice?.id ?? null}
                  taskId={e.type === 'task' ? e.id : null}
                  onDone={(ok) => {
                    setCalling(null);
                    setSaved(ok);
                  }}
                />
              )}
            </li>
          ))}
        </ol>
      )}
      <nav className="row" aria-label="Pagination" hidden={!byItem}>
        <button type="button" disabled={!cursor} onClick={() => update({ cursor: null })}>
          {tc('firstPage')}
        </button>
        <button
          type="button"
          disabled={!q.data?.nextCursor}
          onClick={() => update({ cursor: q.data?.nextCursor ?? null })}
        >
          {tc('nextPage')}
        </button>
      </nav>
    </section>
  );
}
