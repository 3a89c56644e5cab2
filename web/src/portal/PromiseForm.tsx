import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { formatDate, formatMoney } from '../format';
import { PortalError, type PortalItem } from './api';
import { usePortal } from './context';

/** Promise to pay one item (or, without an item, every open item) by a date. */
export function PromiseForm({ item, onDone }: { item?: PortalItem; onDone: () => void }) {
  const { api, t, locale, summary, refresh, announce } = usePortal();
  const id = useId();
  const [date, setDate] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const r = await api.promise(date, item ? [item.invoiceId] : undefined);
      announce(
        t('promiseSent', { amount: formatMoney(r.amount, locale), date: formatDate(r.promisedDate, locale) }),
      );
      await refresh();
      onDone();
    } catch (err) {
      // A 422 names the rule (in the past, beyond the maximum): the server's words say which.
      setError(err instanceof PortalError ? describe(err) : t('error'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="p-form" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>
        {item ? t('promiseTitle', { invoice: item.invoiceNumber }) : t('promiseAllTitle')}
      </h4>
      <label htmlFor={`${id}-date`}>{t('promiseDate')}</label>
      <input
        ref={first}
        id={`${id}-date`}
        type="date"
        required
        min={summary.today}
        value={date}
        onChange={(e) => setDate(e.target.value)}
      />
      {error ? (
        <p role="alert" className="p-error">
          {error}
        </p>
      ) : null}
      <div className="p-actions">
        <button type="submit" disabled={busy}>
          {t('sendPromise')}
        </button>
        <button type="button" className="p-link" onClick={onDone}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

export function describe(err: PortalError): string {
  const reasons = (err.problem.errors ?? []).map((e) => e.reason);
  return reasons.length > 0 ? `${err.message} (${reasons.join('; ')})` : err.message;
}
