import { useState } from 'react';
import { formatDate, formatMoney } from '../format';
import type { PortalItem } from './api';
import { usePortal } from './context';
import { DisputeForm } from './DisputeForm';
import { PromiseForm } from './PromiseForm';

export function ItemsSection() {
  const { summary, t } = usePortal();
  return (
    <section aria-labelledby="items-h">
      <h2 id="items-h">{t('openItems')}</h2>
      {summary.items.length === 0 ? (
        <p className="p-card">{t('noItems')}</p>
      ) : (
        <ul className="p-items" data-testid="portal-items">
          {summary.items.map((i) => (
            <ItemCard key={i.invoiceId} item={i} />
          ))}
        </ul>
      )}
    </section>
  );
}

type Panel = 'dispute' | 'promise' | null;

function ItemCard({ item }: { item: PortalItem }) {
  const { t, locale, api, downloads } = usePortal();
  const [panel, setPanel] = useState<Panel>(null);
  const headingId = `item-${item.invoiceId}`;
  const open = item.balanceDue.amount > 0;
  return (
    <li className="p-card p-item" aria-labelledby={headingId} data-invoice={item.invoiceNumber}>
      <div className="p-item-head">
        <h3 id={headingId}>
          {t('invoice')} {item.invoiceNumber}
        </h3>
        <p className="p-big p-balance">{formatMoney(item.balanceDue, locale)}</p>
      </div>
      <dl className="p-facts">
        <div>
          <dt>{t('issued')}</dt>
          <dd>{formatDate(item.issueDate, locale)}</dd>
        </div>
        <div>
          <dt>{t('due')}</dt>
          <dd>
            {formatDate(item.dueDate, locale)}{' '}
            <span className={item.daysLate > 0 ? 'p-late' : 'p-muted'}>
              ({item.daysLate > 0 ? t('daysLate', { n: item.daysLate }) : t('notDueYet')})
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('amount')}</dt>
          <dd>{formatMoney(item.amount, locale)}</dd>
        </div>
        {item.penalties && item.penalties.amount > 0 ? (
          <div>
            <dt>{t('penalties')}</dt>
            <dd>{formatMoney(item.penalties, locale)}</dd>
          </div>
        ) : null}
        {item.indemnity && item.indemnity.amount > 0 ? (
          <div>
            <dt>{t('indemnity')}</dt>
            <dd>{formatMoney(item.indemnity, locale)}</dd>
          </div>
        ) : null}
      </dl>
      <p className="p-badges">
        {item.disputed ? <span className="p-badge p-badge-dispute">{t('disputed')}</span> : null}
        {item.promisedDate ? (
          <span className="p-badge p-badge-promise">
            {t('promisedBy', { date: formatDate(item.promisedDate, locale) })}
          </span>
        ) : null}
      </p>
      <div className="p-actions">
        {downloads ? (
          <a href={api.href(`/invoices/${item.invoiceId}.pdf`)} rel="noreferrer" download>
            {t('downloadInvoice', { invoice: item.invoiceNumber })}
          </a>
        ) : null}
        {open && !item.disputed ? (
          <>
            <button
              type="button"
              className="p-secondary"
              aria-describedby={headingId}
              aria-expanded={panel === 'dispute'}
              onClick={() => setPanel(panel === 'dispute' ? null : 'dispute')}
            >
              {t('dispute')}
            </button>
            <button
              type="button"
              className="p-secondary"
              aria-describedby={headingId}
              aria-expanded={panel === 'promise'}
              onClick={() => setPanel(panel === 'promise' ? null : 'promise')}
            >
              {t('promise')}
            </button>
          </>
        ) : null}
      </div>
      {panel === 'dispute' ? <DisputeForm item={item} onDone={() => setPanel(null)} /> : null}
      {panel === 'promise' ? <PromiseForm item={item} onDone={() => setPanel(null)} /> : null}
    </li>
  );
}
