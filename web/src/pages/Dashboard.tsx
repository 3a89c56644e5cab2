import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, type CurrencyDashboard, type DashboardData } from '../api';
import { formatDate, formatMoney, formatNumber } from '../format';
import { type MessageKey, useI18n } from '../i18n';
import { RiskDashboard } from './RiskWidgets';

const BUCKETS = ['notDue', 'd1_30', 'd31_60', 'd61_90', 'd90plus'] as const;

export function DashboardPage() {
  const { t, locale } = useI18n();
  const q = useQuery({ queryKey: ['dashboard'], queryFn: () => api<DashboardData>('/dashboard') });
  const [picked, setPicked] = useState<string | null>(null);
  if (q.isPending) return <p aria-busy="true">{t('loading')}</p>;
  if (q.isError) return <p role="alert">{t('error')}</p>;
  const list = q.data.currencies;
  if (list.length === 0) return <p>{t('nothing')}</p>;
  const current = list.find((c) => c.currency === picked) ?? (list[0] as CurrencyDashboard);
  return (
    <section aria-labelledby="dash-title">
      <div className="row">
        <h1 id="dash-title">{t('dashboard')}</h1>
        <span className="muted">{formatDate(q.data.asOf, locale)}</span>
        {list.length > 1 && (
          <label>
            {t('currency')}{' '}
            <select value={current.currency} onChange={(e) => setPicked(e.target.value)}>
              {list.map((c) => (
                <option key={c.currency}>{c.currency}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      <CurrencyView d={current} />
      <RiskDashboard />
    </section>
  );
}

function CurrencyView({ d }: { d: CurrencyDashboard }) {
  const { t, locale } = useI18n();
  const chart = BUCKETS.map((b) => ({ bucket: t(b as MessageKey), amount: Number(d.aging[b].decimal), money: d.aging[b] }));
  return (
    <>
      <ul className="cards">
        <li className="card" data-testid="kpi-receivables">
          <h2>{t('receivables')}</h2>
          <p className="big">{formatMoney(d.receivables, locale)}</p>
        </li>
        <li className="card" data-testid="kpi-overdue">
          <h2>{t('overdue')}</h2>
          <p className="big">
            <Link to="/invoices?overdue=true">{formatMoney(d.overdue, locale)}</Link>
          </p>
          <p className="muted">
            {formatNumber(d.overdueSharePercent, locale, 1)} % {t('overdueShare')}
          </p>
        </li>
        <li className="card" data-testid="kpi-dso">
          <h2>
            <abbr title={t('dsoHelp')} tabIndex={0}>
              {t('dso')}
            </abbr>
          </h2>
          <p className="big">
            {d.dso.complete ? '' : `${t('dsoFloor')} `}
            {formatNumber(d.dso.days, locale, 1)} {t('days')}
          </p>
        </li>
        <li className="card" data-testid="kpi-collected">
          <h2>{t('collectedThisMonth')}</h2>
          <p className="big">{formatMoney(d.collectedThisMonth, locale)}</p>
          <p className="muted">
            {t('collectedLastMonth')} : {formatMoney(d.collectedLastMonth, locale)}
          </p>
        </li>
      </ul>
      <div className="grid2">
        <figure className="card" aria-labelledby="aging-title">
          <h2 id="aging-title">{t('aging')}</h2>
          <div style={{ width: '100%', height: 260 }}>
            <ResponsiveContainer>
              <BarChart data={chart}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="bucket" />
                <YAxis tickFormatter={(v: number) => formatNumber(v, locale)} width={80} />
                <Tooltip formatter={(_v, _n, item) => formatMoney(item.payload.money, locale)} />
                <Bar dataKey="amount" fill="#1f5fbf" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <table className="sr-only">
            <caption>{t('aging')}</caption>
            <tbody>
              {chart.map((c) => (
                <tr key={c.bucket}>
                  <th scope="row">{c.bucket}</th>
                  <td>{formatMoney(c.money, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
        <section className="card" aria-labelledby="top-title">
          <h2 id="top-title">{t('topOverdue')}</h2>
          {d.topOverdueCustomers.length === 0 ? (
            <p>{t('nothing')}</p>
          ) : (
            <table data-testid="top-overdue">
              <thead>
                <tr>
                  <th scope="col">{t('customer')}</th>
                  <th scope="col" className="num">
                    {t('amountOverdue')}
                  </th>
                  <th scope="col" className="num">
                    {t('maxDaysLate')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.topOverdueCustomers.map((c) => (
                  <tr key={c.customerId}>
                    <td>
                      <Link to={`/invoices?overdue=true&customerId=${c.customerId}`}>{c.name}</Link>
                    </td>
                    <td className="num">{formatMoney(c.overdue, locale)}</td>
                    <td className="num">{formatNumber(c.maxDaysLate, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
