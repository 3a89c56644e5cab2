import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type Invoice, type Page } from '../api';
import { formatDate, formatMoney, formatNumber } from '../format';
import { type MessageKey, useI18n } from '../i18n';
import { useSession } from '../session';
import { InvoiceBulkBar } from './InvoiceBulkBar';
import { useCollectors } from './Worklist';
import { csvAmount, downloadCsv, toCsv } from '../csv';
import { type DailyKey, useDailyText } from './daily.i18n';
import type { Money } from '../api';
import { addDaysIso, isoToday } from './worklist-api';
import { useWorklistText } from './worklist.i18n';

const STATUSES = ['open', 'partially_paid', 'paid', 'credited', 'written_off', 'disputed'] as const;
const PAGE_SIZE = 25;
const INVOICE_SORTS = ['-daysOverdue', 'dueDate', '-balanceDue', 'invoiceNumber', '-issueDate'] as const;

export function InvoicesPage() {
  const { t, locale, lang } = useI18n();
  const d = useDailyText();
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  // Overdue first unless another order is asked for.
  const sort = params.get('sort') ?? '-daysOverdue';
  const [text, setText] = useState(search);
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
  if (search) query.set('q', search);
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
  // The totals cover every page of the filtered set: the same filters, without sort or cursor.
  const filterQuery = new URLSearchParams(query);
  filterQuery.delete('limit');
  query.set('sort', sort);
  if (cursor) query.set('cursor', cursor);
  const q = useQuery({
    queryKey: ['invoices', query.toString()],
    queryFn: () => api<Page<Invoice>>(`/invoices?${query.toString()}`),
    placeholderData: keepPreviousData,
  });
  const totals = useQuery({
    queryKey: ['invoices', 'totals', filterQuery.toString()],
    queryFn: () =>
      api<{ currencies: { currency: string; invoices: number; gross: Money; balanceDue: Money; overdue: Money }[] }>(
        `/invoices/totals?${filterQuery.toString()}`,
      ),
    placeholderData: keepPreviousData,
  });

  useEffect(() => {
    if (text.trim() === search) return;
    const timer = setTimeout(() => update({ q: text.trim() || null }), 300);
    return () => clearTimeout(timer);
  });

  function exportShown() {
    const header = [
      t('invoiceNumber'),
      t('customer'),
      t('issueDate'),
      t('dueDate'),
      d('amountInclTax'),
      t('balanceDue'),
      t('currency'),
      t('daysOverdue'),
      t('status'),
    ];
    const rows = (q.data?.items ?? []).map((i) => [
      i.invoiceNumber,
      i.customer.name,
      i.issueDate,
      i.dueDate,
      csvAmount(i.gross.decimal, lang),
      csvAmount(i.balanceDue.decimal, lang),
      i.balanceDue.currency,
      i.daysOverdue,
      t(`st_${i.status}` as MessageKey),
    ]);
    downloadCsv(lang === 'fr' ? 'factures.csv' : 'invoices.csv', toCsv(header, rows, lang));
  }

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
          {d('search')}{' '}
          <input
            type="search"
            value={text}
            placeholder={d('invoiceSearchPlaceholder')}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label>
          {d('sort')}{' '}
          <select value={sort} onChange={(e) => update({ sort: e.target.value })}>
            {INVOICE_SORTS.map((s) => (
              <option key={s} value={s}>
                {d(`is_${s.replace(/^-/, '')}` as DailyKey)}
              </option>
            ))}
          </select>
        </label>
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
      {totals.data && (
        <p className="row" data-testid="invoice-totals">
          {totals.data.currencies.length === 0
            ? null
            : totals.data.currencies.map((c) => (
                <span key={c.currency}>
                  <strong>{formatNumber(c.invoices, locale)}</strong> {d('invoicesFound')} — {d('amountInclTax')}{' '}
                  <strong>{formatMoney(c.gross, locale)}</strong>, {t('balanceDue')}{' '}
                  <strong>{formatMoney(c.balanceDue, locale)}</strong>, {t('overdue')}{' '}
                  <strong>{formatMoney(c.overdue, locale)}</strong>
                </span>
              ))}
          <button type="button" onClick={exportShown} disabled={!q.data || q.data.items.length === 0}>
            {d('exportCsv')}
          </button>
        </p>
      )}
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
                {d('amountInclTax')}
              </th>
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
                <td className="num">{formatMoney(i.gross, locale)}</td>
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
