/** The risk model on screen: band badge, "no model yet" notice with its train button, dashboard blocks. */
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api } from '../api';
import { formatDate, formatMoney, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { type CustomerRisk, type Forecast, type RiskBand, useRiskModels, useTrainRiskModel } from './risk-api';
import { type RiskKey, useRiskText } from './risk.i18n';
import './risk.css';

export function BandBadge({ band }: { band: RiskBand }) {
  const r = useRiskText();
  return (
    <span className={`risk-band ${band}`} data-testid="risk-band">
      {r(`b_${band}` as RiskKey)}
    </span>
  );
}

/** Said wherever a score would be: no model yet, and (for an admin) the button that trains one. */
export function NoModelNotice() {
  const r = useRiskText();
  const session = useSession();
  const train = useTrainRiskModel();
  return (
    <div className="risk-empty" data-testid="risk-no-model">
      <p>{r('noModel')}</p>
      {session.user.role === 'admin' ? (
        <button type="button" onClick={() => train.mutate()} disabled={train.isPending}>
          {train.isPending ? r('training') : r('train')}
        </button>
      ) : (
        <p className="muted">{r('askAdmin')}</p>
      )}
      {train.isError && (
        <p role="alert" className="error">
          {r('trainFailed')} {train.error.message}
        </p>
      )}
    </div>
  );
}

/** Said next to scores that come from the documented prior (too little paid history), not from the org's data. */
export function PriorModelNote() {
  const r = useRiskText();
  const models = useRiskModels();
  if (models.data?.items[0]?.kind !== 'prior') return null;
  return <p className="muted">{r('priorModel')}</p>;
}

function AtRiskCustomers() {
  const r = useRiskText();
  const { t, lang } = useI18n();
  const models = useRiskModels();
  const list = useQuery({
    queryKey: ['risk', 'customers'],
    queryFn: () => api<{ items: CustomerRisk[] }>('/risk/customers?limit=10'),
  });
  let body: ReactNode;
  if (models.isPending || list.isPending) body = <p aria-busy="true">{t('loading')}</p>;
  else if (models.isError || list.isError) body = <p role="alert">{t('error')}</p>;
  else if (models.data.items.length === 0) body = <NoModelNotice />;
  else if (list.data.items.length === 0) body = <p>{r('noneAtRisk')}</p>;
  else
    body = (
      <>
        <PriorModelNote />
        <table data-testid="at-risk">
          <thead>
            <tr>
              <th scope="col">{t('customer')}</th>
              <th scope="col" className="num">
                {r('score')}
              </th>
              <th scope="col">{r('riskBand')}</th>
              <th scope="col">{r('topFactor')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={c.customerId}>
                <td>
                  <Link to={`/customers/${c.customerId}`}>{c.name}</Link>
                </td>
                <td className="num">{c.score}</td>
                <td>
                  <BandBadge band={c.band} />
                </td>
                <td>{c.factors[0] ? c.factors[0][lang === 'en' ? 'en' : 'fr'] : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
  return (
    <section className="card" aria-labelledby="at-risk-title">
      <h2 id="at-risk-title">{r('atRisk')}</h2>
      {body}
    </section>
  );
}

function CurrencyForecastChart({ c }: { c: Forecast['currencies'][number] }) {
  const r = useRiskText();
  const { locale } = useI18n();
  const data = c.weeks.map((w) => ({
    week: formatDate(w.weekStart, locale),
    expected: Number(w.expected.decimal),
    range: [Number(w.p10.decimal), Number(w.p90.decimal)] as [number, number],
    w,
  }));
  const money = (v: number) => formatNumber(v, locale);
  return (
    <figure className="cash-in" data-testid={`cash-in-${c.currency}`} style={{ margin: 0 }}>
      <figcaption className="muted">{c.currency}</figcaption>
      <div style={{ width: '100%', height: 280 }}>
        <ResponsiveContainer>
          <ComposedChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="week" />
            <YAxis tickFormatter={money} width={90} />
            <Tooltip
              formatter={(_v, name, item) => {
                const w = item.payload.w;
                return name === r('band')
                  ? `${formatMoney(w.p10, locale)} – ${formatMoney(w.p90, locale)}`
                  : formatMoney(w.expected, locale);
              }}
            />
            <Legend />
            <Area
              dataKey="range"
              name={r('band')}
              stroke="none"
              fill="#9dbbe8"
              fillOpacity={0.5}
              isAnimationActive={false}
            />
            <Line dataKey="expected" name={r('expected')} stroke="#1f4fa0" strokeWidth={2} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>
          {r('cashIn')} ({c.currency})
        </caption>
        <thead>
          <tr>
            <th scope="col">{r('weekOf')}</th>
            <th scope="col">{r('expected')}</th>
            <th scope="col">{r('p10')}</th>
            <th scope="col">{r('p90')}</th>
          </tr>
        </thead>
        <tbody>
          {c.weeks.map((w) => (
            <tr key={w.weekStart}>
              <th scope="row">{formatDate(w.weekStart, locale)}</th>
              <td>{formatMoney(w.expected, locale)}</td>
              <td>{formatMoney(w.p10, locale)}</td>
              <td>{formatMoney(w.p90, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {r('later')} : {formatMoney(c.later, locale)}
      </p>
    </figure>
  );
}

function CashInForecast() {
  const r = useRiskText();
  const { t } = useI18n();
  const f = useQuery({ queryKey: ['risk', 'forecast'], queryFn: () => api<Forecast>('/forecast?weeks=13') });
  let body: ReactNode;
  if (f.isPending) body = <p aria-busy="true">{t('loading')}</p>;
  else if (f.isError) body = <p role="alert">{t('error')}</p>;
  else if (f.data.currencies.length === 0) body = <p>{r('noOpen')}</p>;
  else
    body = (
      <>
        {f.data.modelVersion === null && <p className="muted">{r('noModelForecast')}</p>}
        {f.data.currencies.map((c) => (
          <CurrencyForecastChart key={c.currency} c={c} />
        ))}
      </>
    );
  return (
    <section className="card" aria-labelledby="cash-in-title" data-testid="cash-in-forecast">
      <h2 id="cash-in-title">
        <abbr title={r('cashInHelp')} tabIndex={0}>
          {r('cashIn')}
        </abbr>
      </h2>
      {body}
    </section>
  );
}

/** The dashboard's risk row: customers at risk, and the 13-week cash-in forecast. */
export function RiskDashboard() {
  return (
    <div className="grid2 risk-dashboard">
      <AtRiskCustomers />
      <CashInForecast />
    </div>
  );
}
