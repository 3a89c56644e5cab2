import { formatMoney } from '../format';
import { usePortal } from './context';

export function TotalDue() {
  const { summary, t, locale, downloads, api } = usePortal();
  const due = summary.balances.filter((b) => b.amount !== 0);
  if (due.length === 0) return null;
  return (
    <section className="p-card p-total" aria-labelledby="total-h">
      <h2 id="total-h">{t('totalDue')}</h2>
      <p className="p-big" data-testid="portal-total">
        {due.map((b) => formatMoney(b, locale)).join(' + ')}
      </p>
      {downloads ? (
        <a href={api.href('/statement.pdf')} rel="noreferrer" download>
          {t('downloadStatement')}
        </a>
      ) : null}
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
