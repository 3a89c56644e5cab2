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
      <dl className="p-split" data-testid="portal-amounts">
        {summary.amounts.payNow.length > 0 ? (
          <div>
            <dt>{t('payNow')}</dt>
            <dd data-testid="portal-pay-now">{summary.amounts.payNow.map((b) => formatMoney(b, locale)).join(' + ')}</dd>
          </div>
        ) : null}
        {summary.amounts.notYetDue.length > 0 ? (
          <div>
            <dt>{t('notYetDueTotal')}</dt>
            <dd data-testid="portal-not-yet-due">
              {summary.amounts.notYetDue.map((b) => formatMoney(b, locale)).join(' + ')}
            </dd>
          </div>
        ) : null}
        {summary.amounts.disputed.length > 0 ? (
          <div>
            <dt>{t('disputedTotal')}</dt>
            <dd data-testid="portal-disputed">
              {summary.amounts.disputed.map((b) => formatMoney(b, locale)).join(' + ')}
            </dd>
          </div>
        ) : null}
      </dl>
      {summary.amounts.notYetDue.length > 0 ? <p className="p-muted">{t('payMoreNote')}</p> : null}
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
