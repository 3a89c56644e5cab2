import { useState } from 'react';
import { formatMoney } from '../format';
import { PortalError } from './api';
import { usePortal } from './context';

export function PaySection() {
  const { summary, t, locale } = usePortal();
  const tr = summary.transfer;
  const payable = summary.items.filter((i) => i.balanceDue.amount > 0 && !i.disputed);
  // Card payment asks for the overdue, undisputed items (the "pay now" total) when there are
  // any; otherwise for what is payable (the debtor chose to pay ahead).
  const overdue = payable.filter((i) => i.daysLate > 0);
  const toPay = overdue.length > 0 ? overdue : payable;
  if (summary.items.length === 0) return null;
  return (
    <section className="p-card" aria-labelledby="pay-h">
      <h2 id="pay-h">{t('payTitle')}</h2>
      {tr ? (
        <div className="p-pay">
          <div>
            <p className="p-muted">{t('payIntro')}</p>
            <dl className="p-bank" data-testid="portal-transfer">
              <Copyable label={t('beneficiary')} value={tr.beneficiary} />
              <Copyable label={t('iban')} value={tr.ibanPrinted} copyValue={tr.iban} mono />
              {tr.bic ? <Copyable label={t('bic')} value={tr.bic} mono /> : null}
              <Copyable
                label={t('reference')}
                value={tr.referencePrinted}
                copyValue={tr.reference}
                mono
                testId="portal-reference"
              />
              {tr.amount ? (
                <Copyable label={t('amountToPay')} value={formatMoney(tr.amount, locale)} copyValue={tr.amount.decimal} />
              ) : null}
            </dl>
          </div>
          <figure className="p-qr">
            {/* An <img> of the server's SVG: an image cannot run script, whatever the SVG holds. */}
            <img
              data-testid="portal-qr"
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(tr.qrSvg)}`}
              width={220}
              height={220}
              alt={t('qrAlt', {
                amount: tr.amount ? formatMoney(tr.amount, locale) : '',
                beneficiary: tr.beneficiary,
                reference: tr.referencePrinted,
              })}
            />
            <figcaption>
              <details>
                <summary>{t('qrData')}</summary>
                <pre data-testid="portal-epc-payload">{tr.epcPayload}</pre>
              </details>
            </figcaption>
          </figure>
        </div>
      ) : (
        <p>{t('noTransfer', { creditor: summary.creditor.name })}</p>
      )}
      {/* No payment provider, no "Payer en ligne" (issue 13): the transfer is the way to pay. */}
      {summary.onlinePayment && toPay.length > 0 ? (
        <CardCheckout invoiceIds={toPay.map((i) => i.invoiceId)} />
      ) : null}
    </section>
  );
}

function Copyable(props: { label: string; value: string; copyValue?: string; mono?: boolean; testId?: string }) {
  const { t } = usePortal();
  const [copied, setCopied] = useState(false);
  const canCopy = typeof navigator !== 'undefined' && navigator.clipboard !== undefined;
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>
        <span className={props.mono ? 'p-mono' : undefined} data-testid={props.testId}>
          {props.value}
        </span>
        {canCopy ? (
          <button
            type="button"
            className="p-link"
            aria-label={`${t('copy')} ${props.label}`}
            onClick={async () => {
              await navigator.clipboard.writeText(props.copyValue ?? props.value).catch(() => undefined);
              setCopied(true);
              setTimeout(() => setCopied(false), 2000);
            }}
          >
            {copied ? t('copied') : t('copy')}
          </button>
        ) : null}
      </dd>
    </div>
  );
}

/** Card payment through the creditor's provider, when the server offers it. */
function CardCheckout({ invoiceIds }: { invoiceIds: string[] }) {
  const { api, t } = usePortal();
  const [state, setState] = useState<'idle' | 'busy' | 'unavailable' | 'error'>('idle');
  if (state === 'unavailable') return <p className="p-muted">{t('cardUnavailable')}</p>;
  return (
    <div className="p-actions">
      <button
        type="button"
        disabled={state === 'busy'}
        onClick={async () => {
          setState('busy');
          try {
            const r = await api.checkout(invoiceIds);
            // Only a web address leaves the portal: never a javascript: or data: URL.
            if (!/^https?:\/\//i.test(r.redirectUrl)) throw new Error('bad redirect');
            window.location.assign(r.redirectUrl);
          } catch (e) {
            // 404: this server has no online payment; 422: no provider configured (or the items
            // cannot be paid online). Either way the transfer above is the way to pay.
            setState(e instanceof PortalError && [404, 405, 422, 501].includes(e.status) ? 'unavailable' : 'error');
          }
        }}
      >
        {t('payByCard')}
      </button>
      {state === 'error' ? (
        <p role="alert" className="p-error">
          {t('error')}
        </p>
      ) : null}
    </div>
  );
}
