import { useState } from 'react';
import { formatMoney } from '../format';
import { usePortal } from './context';
import { PromiseForm } from './PromiseForm';

export function TotalDue() {
  const { summary, t, locale, downloads, api } = usePortal();
  const [promising, setPromising] = useState(false);
  const due = summary.balances.filter((b) => b.amount !== 0);
  if (due.length === 0) return null;
  const promisable = summary.items.some((i) => i.balanceDue.amount > 0 && !i.disputed);
  return (
    <section className="p-card p-total" aria-labelledby="total-h">
      <h2 id="total-h">{t('totalDue')}</h2>
      <p className="p-big" data-testid="portal-total">
        {due.map((b) => formatMoney(b, locale)).join(' + ')}
      </p>
      <div className="p-actions">
        {downloads ? (
          <a href={api.href('/statement.pdf')} rel="noreferrer" download>
            {t('downloadStatement')}
          </a>
        ) : null}
        {promisable ? (
          <button
            type="button"
            className="p-secondary"
            aria-expanded={promising}
            onClick={() => setPromising(!promising)}
          >
            {t('promiseAll')}
          </button>
        ) : null}
      </div>
      {promising ? <PromiseForm onDone={() => setPromising(false)} /> : null}
    </section>
  );
}

export function ContactLine() {
  const { summary, t } = usePortal();
  const { email, phone, name } = summary.creditor;
  return (
    <p>
      {t('contact', { creditor: name })}
      {email ? (
        <>
          {' · '}
          <a href={`mailto:${email}`}>{email}</a>
        </>
      ) : null}
      {phone ? (
        <>
          {' · '}
          <a href={`tel:${phone.replace(/\s/g, '')}`}>{phone}</a>
        </>
      ) : null}
    </p>
  );
}
