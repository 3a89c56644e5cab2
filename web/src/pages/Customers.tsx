import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type Money, type Page } from '../api';
import { csvAmount, downloadCsv, toCsv } from '../csv';
import { formatDate, formatMoney, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { type DailyKey, useActionLabel, useDailyText } from './daily.i18n';
import { useCollectors } from './Worklist';

export interface CustomerOverviewItem {
  id: string;
  externalRef: string;
  name: string;
  balanceDue: Money;
  overdue: Money;
  daysOverdue: number;
  oldestOverdueDate: string | null;
  collector: { id: string; name: string } | null;
  lastAction: { at: string; kind: string; channel: string | null } | null;
  nextAction: { date: string; kind: string } | null;
  markers: { openDisputes: number; activePromise: boolean; activePlan: boolean; creditHold: boolean };
}

const SORTS = ['-overdue', '-balanceDue', '-daysOverdue', 'nextActionDate', 'name'] as const;
const PAGE_SIZE = 25;

function markerKeys(m: CustomerOverviewItem['markers']): DailyKey[] {
  const out: DailyKey[] = [];
  if (m.openDisputes > 0) out.push('m_dispute');
  if (m.activePromise) out.push('m_promise');
  if (m.activePlan) out.push('m_plan');
  if (m.creditHold) out.push('m_hold');
  return out;
}

export function CustomersPage() {
  const d = useDailyText();
  const actionLabel = useActionLabel();
  const { t, locale, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const collector = params.get('collector') ?? '';
  const overdue = params.get('hasOverdue') ?? '';
  const marker = params.get('marker') ?? '';
  const sort = params.get('sort') ?? '-overdue';
  const cursor = params.get('cursor') ?? '';
  const [text, setText] = useState(q);
  const collectors = useCollectors();

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('cursor' in changes)) next.delete('cursor');
    setParams(next);
  }

  // Search as you type, once typing pauses.
  useEffect(() => {
    if (text.trim() === q) return;
    const timer = setTimeout(() => update({ q: text.trim() || null }), 300);
    return () => clearTimeout(timer);
  });

  const query = new URLSearchParams({ limit: String(PAGE_SIZE), sort });
  if (q) query.set('q', q);
  if (collector) query.set('collector', collector);
  if (overdue) query.set('hasOverdue', overdue);
  if (marker) query.set('marker', marker);
  if (cursor) query.set('cursor', cursor);
  const list = useQuery({
    queryKey: ['customers-overview', query.toString()],
    queryFn: () => api<Page<CustomerOverviewItem> & { asOf: string }>(`/customers/overview?${query.toString()}`),
    placeholderData: keepPreviousData,
  });

  const lastText = (c: CustomerOverviewItem) =>
    c.lastAction
      ? `${actionLabel(c.lastAction.kind)}${c.lastAction.channel ? ` (${actionLabel(c.lastAction.channel)})` : ''} — ${new Date(c.lastAction.at).toLocaleDateString(locale)}`
      : d('none');
  const nextText = (c: CustomerOverviewItem) =>
    c.nextAction ? `${actionLabel(c.nextAction.kind)} — ${formatDate(c.nextAction.date, locale)}` : d('none');

  function exportShown() {
    const items = list.data?.items ?? [];
    const header = [
      d('customersTitle'),
      d('reference'),
      d('balance'),
      d('overdue'),
      t('currency'),
      `${d('oldestOverdue')} (${d('days')})`,
      d('collector'),
      d('lastAction'),
      d('nextAction'),
      d('markers'),
    ];
    const rows = items.map((c) => [
      c.name,
      c.externalRef,
      csvAmount(c.balanceDue.decimal, lang),
      csvAmount(c.overdue.decimal, lang),
      c.balanceDue.currency,
      c.daysOverdue,
      c.collector?.name ?? '',
      c.lastAction ? lastText(c) : '',
      c.nextAction ? nextText(c) : '',
      markerKeys(c.markers)
        .map((k) => d(k))
        .join(', '),
    ]);
    downloadCsv(lang === 'fr' ? 'clients.csv' : 'customers.csv', toCsv(header, rows, lang));
  }

  return (
    <section aria-labelledby="cu-title">
      <h1 id="cu-title">{d('customersTitle')}</h1>
      <div className="row filters">
        <label>
          {d('search')}{' '}
          <input
            type="search"
            value={text}
            placeholder={d('searchPlaceholder')}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label>
          {d('collector')}{' '}
          <select value={collector} onChange={(e) => update({ collector: e.target.value || null })}>
            <option value="">{d('everyone')}</option>
            <option value="me">{d('mine')}</option>
            <option value="unassigned">{d('unassigned')}</option>
            {(collectors.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {d('overdue')}{' '}
          <select value={overdue} onChange={(e) => update({ hasOverdue: e.target.value || null })}>
            <option value="">{d('allCustomers')}</option>
            <option value="true">{d('overdueOnly')}</option>
            <option value="false">{d('noOverdue')}</option>
          </select>
        </label>
        <label>
          {d('markers')}{' '}
          <select value={marker} onChange={(e) => update({ marker: e.target.value || null })}>
            <option value="">{d('allMarkers')}</option>
            {(['dispute', 'promise', 'plan', 'hold'] as const).map((m) => (
              <option key={m} value={m}>
                {d(`m_${m}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {d('sort')}{' '}
          <select value={sort} onChange={(e) => update({ sort: e.target.value })}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {d(`s_${s.replace(/^-/, '')}` as DailyKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={exportShown} disabled={!list.data || list.data.items.length === 0}>
          {d('exportCsv')}
        </button>
      </div>
      {list.isPending ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : list.isError ? (
        <p role="alert">{t('error')}</p>
      ) : list.data.items.length === 0 ? (
        <p>{t('nothing')}</p>
      ) : (
        <div className="scroll">
          <table data-testid="customers-table">
            <thead>
              <tr>
                <th scope="col">{d('customersTitle')}</th>
                <th scope="col">{d('reference')}</th>
                <th scope="col" className="num">
                  {d('balance')}
                </th>
                <th scope="col" className="num">
                  {d('overdue')}
                </th>
                <th scope="col" className="num">
                  {d('oldestOverdue')}
                </th>
                <th scope="col">{d('collector')}</th>
                <th scope="col">{d('lastAction')}</th>
                <th scope="col">{d('nextAction')}</th>
                <th scope="col">{d('markers')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id} data-customer={c.id}>
                  <td>
                    <Link to={`/customers/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{c.externalRef}</td>
                  <td className="num">{formatMoney(c.balanceDue, locale)}</td>
                  <td className="num">{formatMoney(c.overdue, locale)}</td>
                  <td className="num">
                    {c.daysOverdue > 0 ? `${formatNumber(c.daysOverdue, locale)} ${d('days')}` : ''}
                  </td>
                  <td>{c.collector?.name ?? ''}</td>
                  <td>{lastText(c)}</td>
                  <td>{nextText(c)}</td>
                  <td>
                    {markerKeys(c.markers).map((k) => (
                      <span key={k} className={`badge marker-${k}`}>
                        {d(k)}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="row" aria-label="Pagination">
        <button type="button" disabled={!cursor} onClick={() => update({ cursor: null })}>
          {t('firstPage')}
        </button>
        <button
          type="button"
          disabled={!list.data?.nextCursor}
          onClick={() => update({ cursor: list.data?.nextCursor ?? null })}
        >
          {t('nextPage')}
        </button>
      </nav>
    </section>
  );
}
