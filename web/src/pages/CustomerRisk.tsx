/** The customer file's risk card: score 0–100 with its band, top factors in plain words, daily history. */
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api';
import { formatDate } from '../format';
import { useI18n } from '../i18n';
import { type CustomerRiskFile, useRiskModels } from './risk-api';
import { useRiskText } from './risk.i18n';
import { BandBadge, NoModelNotice, PriorModelNote } from './RiskWidgets';

export function CustomerRisk({ customerId }: { customerId: string }) {
  const r = useRiskText();
  const { t, lang, locale } = useI18n();
  const models = useRiskModels();
  const q = useQuery({
    queryKey: ['risk', 'customer', customerId],
    queryFn: () => api<CustomerRiskFile>(`/customers/${customerId}/risk`),
  });
  let body: ReactNode;
  if (q.isPending || models.isPending) body = <p aria-busy="true">{t('loading')}</p>;
  else if (q.isError || models.isError) body = <p role="alert">{t('error')}</p>;
  else if (!q.data.current)
    body = models.data.items.length === 0 ? <NoModelNotice /> : <p>{r('noCustomerScore')}</p>;
  else {
    const c = q.data.current;
    const text = lang === 'en' ? 'en' : 'fr';
    const history = q.data.history.map((h) => ({ day: formatDate(h.scoredOn, locale), score: h.score }));
    body = (
      <>
        <div className="risk-score">
          <p className="big" data-testid="risk-score">
            {c.score} <span className="muted">{r('scoreOutOf')}</span>
          </p>
          <BandBadge band={c.band} />
          <span className="muted">
            {r('scoredOn')} {formatDate(c.scoredOn, locale)} ({r('model')} v{c.modelVersion})
          </span>
        </div>
        <PriorModelNote />
        <h3>{r('factors')}</h3>
        {c.factors.length === 0 ? (
          <p className="muted">{r('noFactor')}</p>
        ) : (
          <ul className="risk-factors" data-testid="risk-factors">
            {c.factors.map((f) => (
              <li key={f.feature}>{f[text]}</li>
            ))}
          </ul>
        )}
        <h3>{r('history')}</h3>
        <div style={{ width: '100%', height: 160 }} data-testid="risk-history">
          <ResponsiveContainer>
            <LineChart data={history}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" />
              <YAxis domain={[0, 100]} width={40} />
              <Tooltip />
              <Line dataKey="score" name={r('score')} stroke="#a40000" dot isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
        {history.length === 1 && <p className="muted">{r('historyOne')}</p>}
      </>
    );
  }
  return (
    <section className="card" aria-labelledby="cf-risk" data-testid="customer-risk">
      <h2 id="cf-risk">{r('score')}</h2>
      {body}
    </section>
  );
}
