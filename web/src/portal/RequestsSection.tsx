import { formatDate } from '../format';
import { usePortal } from './context';
import { formatMinor } from './money';
import { labelOf } from './portal.i18n';
import { usePlans } from './usePlans';

/** Where the debtor's disputes, promises and plans stand. */
export function RequestsSection() {
  const { summary, t, locale, api } = usePortal();
  const plans = usePlans().data ?? [];
  const disputes = summary.items.filter((i) => i.dispute);
  const promises = summary.items.filter((i) => i.promisedDate);
  const empty = disputes.length + promises.length + plans.length === 0;
  return (
    <section className="p-card" aria-labelledby="requests-h">
      <h2 id="requests-h">{t('requestsTitle')}</h2>
      {empty ? (
        <p className="p-muted">{t('noRequests')}</p>
      ) : (
        <ul className="p-requests" data-testid="portal-requests">
          {disputes.map((i) =>
            i.dispute ? (
              <li key={`d-${i.dispute.id}`}>
                {t('disputeStatus', {
                  invoice: i.invoiceNumber,
                  reason: labelOf(t, 'r_', i.dispute.reasonCode),
                  status: labelOf(t, 's_', i.dispute.status),
                })}
              </li>
            ) : null,
          )}
          {promises.map((i) => (
            <li key={`p-${i.invoiceId}`}>
              {t('promiseStatus', { invoice: i.invoiceNumber, date: formatDate(i.promisedDate ?? '', locale) })}
            </li>
          ))}
          {plans.map((p) => (
            <li key={`plan-${p.id}`}>
              {t('planStatus', {
                amount: formatMinor(p.totalMinor, p.currency, locale),
                n: p.instalments.length,
                status: labelOf(t, 's_', p.status),
              })}
              {p.id && p.acceptedAt ? (
                <>
                  {' · '}
                  <a href={api.href(`/payment-plans/${p.id}.pdf`)} rel="noreferrer" download>
                    {t('planPdf')}
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
