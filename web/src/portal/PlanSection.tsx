import { type FormEvent, useId, useState } from 'react';
import { formatDate } from '../format';
import { type PaymentPlan, PortalError, type PlanRefusal, planRefusal } from './api';
import { usePortal } from './context';
import { labelOf } from './portal.i18n';
import { formatMinor, fromMinor, parseMinor } from './money';
import { describe } from './PromiseForm';
import { usePlans } from './usePlans';

/** Ask for a payment plan (échéancier) of the undisputed open items, then accept it. */
export function PlanSection() {
  const { summary, t, locale, api, refresh, announce } = usePortal();
  const id = useId();
  const plans = usePlans();
  const undisputed = summary.items.filter((i) => i.balanceDue.amount > 0 && !i.disputed);
  const currency = undisputed[0]?.balanceDue.currency ?? 'EUR';
  const total = undisputed.reduce((s, i) => s + i.balanceDue.amount, 0);
  const [instalments, setInstalments] = useState('3');
  const [firstDate, setFirstDate] = useState('');
  const [down, setDown] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [refusal, setRefusal] = useState<PlanRefusal | null>(null);
  const [requested, setRequested] = useState<PaymentPlan | null>(null);

  const stored = plans.data ?? [];
  const proposed = stored.find((p) => p.status === 'proposed') ?? (requested?.status === 'proposed' ? requested : null);
  const pending = stored.find((p) => p.status === 'pending_approval');
  const active = stored.find((p) => p.status === 'active');
  if (active || (undisputed.length === 0 && !proposed)) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const downPaymentMinor = parseMinor(down, currency);
    if (downPaymentMinor === null) {
      setError(`${t('downPayment')}: ?`);
      return;
    }
    setBusy(true);
    setError('');
    setRefusal(null);
    try {
      const plan = await api.requestPlan({
        instalments: Number(instalments),
        firstDate,
        ...(downPaymentMinor > 0 ? { downPaymentMinor } : {}),
      });
      setRequested(plan);
      announce(
        plan.status === 'proposed' ? t('planProposed') : t('planPending', { creditor: summary.creditor.name }),
      );
      await refresh();
    } catch (err) {
      if (err instanceof PortalError && err.status === 422) setRefusal(planRefusal(err.problem));
      else setError(err instanceof PortalError ? describe(err) : t('error'));
    } finally {
      setBusy(false);
    }
  }

  const shown = proposed ?? requested ?? pending;
  return (
    <section className="p-card" aria-labelledby={`${id}-h`} data-testid="portal-plan">
      <h2 id={`${id}-h`}>{t('planTitle')}</h2>
      {shown ? (
        <>
          <Schedule plan={shown} />
          {shown.status === 'proposed' && shown.id ? (
            <AcceptPlan plan={shown} onAccepted={() => setRequested(null)} />
          ) : (
            <p>{t('planPending', { creditor: summary.creditor.name })}</p>
          )}
        </>
      ) : (
        <form className="p-form" onSubmit={submit}>
          <p className="p-muted">{t('planIntro', { amount: formatMinor(total, currency, locale) })}</p>
          <label htmlFor={`${id}-n`}>{t('instalments')}</label>
          <input
            id={`${id}-n`}
            type="number"
            min={2}
            max={120}
            required
            inputMode="numeric"
            value={instalments}
            onChange={(e) => setInstalments(e.target.value)}
          />
          <label htmlFor={`${id}-first`}>{t('firstDate')}</label>
          <input
            id={`${id}-first`}
            type="date"
            required
            min={summary.today}
            value={firstDate}
            onChange={(e) => setFirstDate(e.target.value)}
          />
          <label htmlFor={`${id}-down`}>{t('downPayment')}</label>
          <input id={`${id}-down`} inputMode="decimal" value={down} onChange={(e) => setDown(e.target.value)} />
          {refusal ? (
            <div role="alert" className="p-error" data-testid="portal-plan-refused">
              <p>{t('planRefused', { creditor: summary.creditor.name })}</p>
              <ul>
                {refusal.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              {refusal.nearest ? (
                <p>
                  {t('nearestPlan', {
                    n: refusal.nearest.instalments,
                    date: formatDate(refusal.nearest.firstDate, locale),
                  })}{' '}
                  <button
                    type="button"
                    className="p-secondary"
                    onClick={() => {
                      const n = refusal.nearest;
                      if (!n) return;
                      setInstalments(String(n.instalments));
                      setFirstDate(n.firstDate);
                      setDown(n.downPaymentMinor > 0 ? fromMinor(n.downPaymentMinor, currency).decimal : '');
                      setRefusal(null);
                    }}
                  >
                    {t('useNearest')}
                  </button>
                </p>
              ) : null}
            </div>
          ) : null}
          {error ? (
            <p role="alert" className="p-error">
              {error}
            </p>
          ) : null}
          <div className="p-actions">
            <button type="submit" disabled={busy}>
              {t('askPlan')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function Schedule({ plan }: { plan: PaymentPlan }) {
  const { t, locale } = usePortal();
  const tracked = plan.instalments.some((i) => i.status !== undefined && plan.status !== 'proposed');
  return (
    <table className="p-schedule" data-testid="portal-schedule">
      <caption>{t('schedule')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('seq')}</th>
          <th scope="col">{t('dueDate')}</th>
          <th scope="col" className="p-num">
            {t('amount')}
          </th>
          {tracked ? <th scope="col">{t('instalmentStatus')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {plan.instalments.map((i) => (
          <tr key={i.seq}>
            <td>{i.seq === 0 ? t('downPaymentShort') : i.seq}</td>
            <td>{formatDate(i.dueDate, locale)}</td>
            <td className="p-num">{formatMinor(i.amountMinor, plan.currency, locale)}</td>
            {tracked ? <td>{i.status ? labelOf(t, 'i_', i.status) : ''}</td> : null}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            {t('total')}
          </th>
          <td className="p-num">{formatMinor(plan.totalMinor, plan.currency, locale)}</td>
          {tracked ? <td /> : null}
        </tr>
        {plan.covers ? (
          <tr>
            <td colSpan={tracked ? 4 : 3} className="p-muted" data-testid="plan-covers">
              {t('planCovers', {
                date: formatDate(plan.covers.asOf, locale),
                penalties: formatMinor(plan.covers.penaltiesNotIncludedMinor, plan.currency, locale),
                indemnities: formatMinor(plan.covers.indemnitiesNotIncludedMinor, plan.currency, locale),
              })}
            </td>
          </tr>
        ) : null}
      </tfoot>
    </table>
  );
}

/** The debtor's signature: ticking the terms and typing a name makes the plan active. */
function AcceptPlan({ plan, onAccepted }: { plan: PaymentPlan; onAccepted: () => void }) {
  const { api, t, locale, refresh, announce } = usePortal();
  const id = useId();
  const [agree, setAgree] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const planId = plan.id ?? '';
  return (
    <form
      className="p-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError('');
        try {
          await api.acceptPlan(planId, name.trim());
          announce(t('planAccepted'));
          onAccepted();
          await refresh();
        } catch (err) {
          setError(err instanceof PortalError ? describe(err) : t('error'));
        } finally {
          setBusy(false);
        }
      }}
    >
      <p>{t('planProposed')}</p>
      <div className="p-check">
        <input id={`${id}-terms`} type="checkbox" required checked={agree} onChange={(e) => setAgree(e.target.checked)} />
        <label htmlFor={`${id}-terms`}>
          {t('acceptTerms', { amount: formatMinor(plan.totalMinor, plan.currency, locale) })}
        </label>
      </div>
      <label htmlFor={`${id}-name`}>{t('signName')}</label>
      <input
        id={`${id}-name`}
        required
        autoComplete="name"
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      {error ? (
        <p role="alert" className="p-error">
          {error}
        </p>
      ) : null}
      <div className="p-actions">
        <button type="submit" disabled={busy || !agree || name.trim() === ''}>
          {t('acceptPlan')}
        </button>
      </div>
    </form>
  );
}
