import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type Invoice, type Page } from '../api';
import { formatDate, formatMoney, formatNumber } from '../format';
import { type MessageKey, useI18n } from '../i18n';
import { useSession } from '../session';
import { InvoiceBulkBar } from './InvoiceBulkBar';
import { useCollectors } from './Worklist';
import { addDaysIso, isoToday } from './worklist-api';
import { useWorklistText } from './worklist.i18n';

const STATUSES = ['open', 'partially_paid', 'paid', 'credited', 'written_off', 'disputed'] as const;
const PAGE_SIZE = 25;

export function InvoicesPage() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const overdue = params.get('overdue') === 'true';
  const customerId = params.get('customerId') ?? '';
  const cursor = params.get('cursor') ?? '';
  const collector = params.get('collector') ?? '';
  const segment = params.get('segment') ?? '';
  const minAmount = params.get('minAmount') ?? '';
  const minAge = params.get('minAge') ?? '';
  const w = useWorklistText();
  const collectors = useCollectors();
  const canWrite = useSession().user.role !== 'viewer';
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkChanged, setBulkChanged] = useState<number | null>(null);

  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (status) query.set('status', status);
  if (overdue) query.set('overdue', 'true');
  if (customerId) query.set('customerId', customerId);
  if (collector) query.set('collector', collector);
  if (segment) query.set('segment', segment);
  if (minAmount && Number.isFinite(Number(minAmount)))
    query.set('minBalance', String(Math.round(Number(minAmount) * 100)));
  // "At least N days late" is "due before today - N" with a balance left.
  if (minAge && Number(minAge) > 0) {
    query.set('overdue', 'true');
    query.set('dueBefore', addDaysIso(isoToday(), -Number(minAge)));
  }
  if (cursor) query.set('cursor', cursor);
  const q = useQuery({
    queryKey: ['invoices', query.toString()],
    queryFn: () => api<Page<Invoice>>(`/invoices?${query.toString()}`),
    placeholderData: keepPreviousData,
  });

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('cursor' in changes)) next.delete('cursor');
    setParams(next);
    setSelected([]);
  }
  const toggle = (id: string) => {
    setBulkChanged(null);
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  };

  return (
    <section aria-labelledby="inv-title">
      <h1 id="inv-title">{t('invoices')}</h1>
      <div className="row filters">
        <label>
          {t('status')}{' '}
          <select value={status} onChange={(e) => update({ status: e.target.value || null })}>
            <option value="">{t('allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`st_${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={overdue}
            onChange={(e) => update({ overdue: e.target.checked ? 'true' : null })}
          />{' '}
          {t('overdueOnly')}
        </label>
        <label>
          {w('collector')}{' '}
          <select value={collector} onChange={(e) => update({ collector: e.target.value || null })}>
            <option value="">{w('everyone')}</option>
            <option value="unassigned">{w('unassigned')}</option>
            {(collectors.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w('segment')}{' '}
          <select value={segment} onChange={(e) => update({ segment: e.target.value || null })}>
            <option value="">{w('allSegments')}</option>
            <option value="strategic">{w('seg_strategic')}</option>
            <option value="standard">{w('seg_standard')}</option>
          </select>
        </label>
        <label>
          {w('minAmount')}{' '}
          <input
            inputMode="decimal"
            size={8}
            defaultValue={minAmount}
            onBlur={(e) => update({ minAmount: e.target.value.trim() || null })}
          />
        </label>
        <label>
          {w('minAge')}{' '}
          <input
            type="number"
            min={0}
            style={{ width: '5em' }}
            defaultValue={minAge}
            onBlur={(e) => update({ minAge: e.target.value.trim() || null })}
          />
        </label>
      </div>
      {canWrite && selected.length > 0 && (
        <InvoiceBulkBar
          selected={selected}
          onDone={(n) => {
            setSelected([]);
            setBulkChanged(n);
          }}
        />
      )}
      {bulkChanged !== null && (
        <p role="status" className="ok">
          {bulkChanged} {w('bulkDone')}
        </p>
      )}
      {q.isPending ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : q.isError ? (
        <p role="alert">{t('error')}</p>
      ) : q.data.items.length === 0 ? (
        <p>{t('nothing')}</p>
      ) : (
        <table data-testid="invoices-table">
          <thead>
            <tr>
              <th scope="col">{t('invoiceNumber')}</th>
              <th scope="col">{t('customer')}</th>
              <th scope="col">{t('issueDate')}</th>
              <th scope="col">{t('dueDate')}</th>
              <th scope="col" className="num">
                {t('balanceDue')}
              </th>
              <th scope="col" className="num">
                {t('daysOverdue')}
              </th>
              <th scope="col">{t('status')}</th>
              {canWrite && (
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={w('selectAll')}
                    checked={q.data.items.length > 0 && q.data.items.every((i) => selected.includes(i.id))}
                    onChange={(e) => setSelected(e.target.checked ? q.data.items.map((i) => i.id) : [])}
                  />
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {q.data.items.map((i) => (
              <tr key={i.id}>
                <td>{i.invoiceNumber}</td>
                <td>
                  <Link to={`/customers/${i.customer.id}`}>{i.customer.name}</Link>
                </td>
                <td>{formatDate(i.issueDate, locale)}</td>
                <td>{formatDate(i.dueDate, locale)}</td>
                <td className="num">{formatMoney(i.balanceDue, locale)}</td>
                <td className="num">{i.daysOverdue > 0 ? formatNumber(i.daysOverdue, locale) : ''}</td>
                <td>{t(`st_${i.status}` as MessageKey)}</td>
                {canWrite && (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${w('selectRow')} ${i.invoiceNumber}`}
                      checked={selected.includes(i.id)}
                      onChange={() => toggle(i.id)}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="row" aria-label="Pagination">
        <button type="button" disabled={!cursor} onClick={() => update({ cursor: null })}>
          {t('firstPage')}
        </button>
        <button
          type="button"
          disabled={!q.data?.nextCursor}
          onClick={() => update({ cursor: q.data?.nextCursor ?? null })}
        >
          {t('nextPage')}
        </button>
      </nav>
    </section>
  );
}
