import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { api, type Invoice, type Page } from '../api';
import { formatDate, formatMoney, formatNumber } from '../format';
import { type MessageKey, useI18n } from '../i18n';

const STATUSES = ['open', 'partially_paid', 'paid', 'credited', 'written_off', 'disputed'] as const;
const PAGE_SIZE = 25;

export function InvoicesPage() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const overdue = params.get('overdue') === 'true';
  const customerId = params.get('customerId') ?? '';
  const cursor = params.get('cursor') ?? '';

  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (status) query.set('status', status);
  if (overdue) query.set('overdue', 'true');
  if (customerId) query.set('customerId', customerId);
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
  }

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
      </div>
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
            </tr>
          </thead>
          <tbody>
            {q.data.items.map((i) => (
              <tr key={i.id}>
                <td>{i.invoiceNumber}</td>
                <td>{i.customer.name}</td>
                <td>{formatDate(i.issueDate, locale)}</td>
                <td>{formatDate(i.dueDate, locale)}</td>
                <td className="num">{formatMoney(i.balanceDue, locale)}</td>
                <td className="num">{i.daysOverdue > 0 ? formatNumber(i.daysOverdue, locale) : ''}</td>
                <td>{t(`st_${i.status}` as MessageKey)}</td>
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
