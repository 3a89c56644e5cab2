import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CustomerSolvency } from '../../../src/domain/solvency/customer-solvency-view';
import { api, type Money } from '../api';
import { formatDate, formatMoney } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { type SolvencyKey, useSolvencyText } from './solvency.i18n';

/** The API's answer, typed by the server's own view. */
export type CustomerSolvencyData = CustomerSolvency;

/** Minor units → the Money shape the formatter takes, with integer arithmetic only. */
function money(minor: number, currency: string): Money {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return { amount: minor, currency, decimal: `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}` };
}

/**
 * The customer file's solvency part: the insolvency banner (with the declaration button),
 * the SIRENE identity, the BODACC proceedings, and the credit limit against the exposure.
 */
export function CustomerSolvency({ customerId, currency }: { customerId: string; currency: string }) {
  const s = useSolvencyText();
  const { locale } = useI18n();
  const session = useSession();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['solvency', customerId],
    queryFn: () => api<CustomerSolvencyData>(`/customers/${customerId}/solvency`),
  });
  const declare = useMutation({
    mutationFn: () =>
      api<{ documentId: string; filename: string }>(`/customers/${customerId}/claim-declaration`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['solvency', customerId] });
      void qc.invalidateQueries({ queryKey: ['timeline', customerId] });
      void qc.invalidateQueries({ queryKey: ['customer-file', customerId] });
    },
  });
  const check = useMutation({
    mutationFn: (siren: string) =>
      api<{
        suggestion: { limitMinor: number; terms: string; riskScore: number; reasons: { code: string; text: string }[] };
      }>(`/credit-check?siren=${encodeURIComponent(siren)}`),
  });
  const d = q.data;
  if (!d) return null;
  const m = (minor: number) => formatMoney(money(minor, currency), locale);
  const fd = (iso: string) => formatDate(iso, locale);
  return (
    <>
      {d.banner && (
        <section className="card banner-insolvency" role="alert" data-testid="insolvency-banner">
          <h2>
            {s('bannerTitle')} — {d.banner.label}
          </h2>
          <p>
            {s('bannerJudgment')} {fd(d.banner.judgmentDate)}. {s('bannerStayed')}
          </p>
          <ul>
            <li>
              {s('bannerPre')} : {d.banner.preJudgment.count} — {m(d.banner.preJudgment.balanceMinor)}
            </li>
            <li>
              {s('bannerPost')} : {d.banner.postJudgment.count} — {m(d.banner.postJudgment.balanceMinor)}
            </li>
          </ul>
          {d.banner.declarationDeadline && (
            <p>
              <strong>
                {s('bannerDeadline')} {fd(d.banner.declarationDeadline)}
              </strong>
            </p>
          )}
          {session.user.role !== 'viewer' && (
            <button type="button" onClick={() => declare.mutate()} disabled={declare.isPending}>
              {declare.isPending ? s('declaring') : s('declare')}
            </button>
          )}
          {declare.isError && <p className="error">{s('error')}</p>}
          {d.declarations.length > 0 && (
            <p>
              {s('declarations')} :{' '}
              {d.declarations.map((x) => (
                <a
                  key={x.documentId}
                  href={`/api/v1/documents/${x.documentId}/content`}
                  target="_blank"
                  rel="noreferrer"
                  data-testid="declaration-link"
                >
                  {x.filename}
                </a>
              ))}
            </p>
          )}
        </section>
      )}
      <section className="card" aria-labelledby="cf-solvency" data-testid="solvency-panel">
        <h2 id="cf-solvency">{s('title')}</h2>
        <dl className="facts">
          <div>
            <dt>{s('siren')}</dt>
            <dd>
              {d.siren ?? s('noSiren')} {d.sirenProblem && <span className="error">({s('sirenInvalid')})</span>}
            </dd>
          </div>
          {d.identity ? (
            <>
              <div>
                <dt>{s('legalName')}</dt>
                <dd>{d.identity.legalName ?? '—'}</dd>
              </div>
              <div>
                <dt>{s('status')}</dt>
                <dd data-testid="company-status">
                  {d.identity.status === 'A' ? s('active') : s('ceased')}
                  {d.identity.statusSince ? ` ${s('since')} ${fd(d.identity.statusSince)}` : ''}
                </dd>
              </div>
              <div>
                <dt>{s('created')}</dt>
                <dd>{d.identity.creationDate ? fd(d.identity.creationDate) : '—'}</dd>
              </div>
              <div>
                <dt>{s('legalForm')}</dt>
                <dd>{d.identity.legalForm ?? '—'}</dd>
              </div>
              <div>
                <dt>{s('naf')}</dt>
                <dd>{d.identity.nafCode ?? '—'}</dd>
              </div>
              <div>
                <dt>{s('headcount')}</dt>
                <dd>{d.identity.headcountLabel ?? '—'}</dd>
              </div>
            </>
          ) : (
            d.siren && (
              <div>
                <dt>{s('identity')}</dt>
                <dd className="muted">{s('noIdentity')}</dd>
              </div>
            )
          )}
          <div>
            <dt>{s('limit')}</dt>
            <dd data-testid="credit-limit">
              {d.credit.limitMinor === null ? s('noLimit') : m(d.credit.limitMinor)}
            </dd>
          </div>
          <div>
            <dt>{s('exposure')}</dt>
            <dd data-testid="credit-exposure">
              {m(d.credit.exposureMinor)}
              {d.credit.pendingOrdersMinor > 0 && ` (${s('pendingOrders')} ${m(d.credit.pendingOrdersMinor)})`}
              {d.credit.usedPercent !== null && ` — ${d.credit.usedPercent} % ${s('used')}`}
              {d.credit.alert === 'warning' && <span className="badge">{s('warning')}</span>}
              {d.credit.alert === 'over_limit' && <span className="badge error">{s('overLimit')}</span>}
            </dd>
          </div>
          {d.group && (
            <div>
              <dt>
                {s('group')} {d.group.name ?? d.group.key}
              </dt>
              <dd>
                {m(d.group.exposureMinor)}
                {d.group.limitMinor !== null && ` / ${m(d.group.limitMinor)}`}
              </dd>
            </div>
          )}
        </dl>
        {d.siren && !d.sirenProblem && (
          <div data-testid="credit-check">
            <button type="button" onClick={() => check.mutate(d.siren as string)} disabled={check.isPending}>
              {check.isPending ? s('checking') : s('check')}
            </button>
            {check.data && (
              <>
                <p>
                  {s('suggested')} : {m(check.data.suggestion.limitMinor)} — {s('terms')} :{' '}
                  {s(`t_${check.data.suggestion.terms}` as SolvencyKey)} — {s('risk')} {check.data.suggestion.riskScore}/100
                </p>
                <ul>
                  {check.data.suggestion.reasons.map((r) => (
                    <li key={r.code}>{r.text}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <h3>{s('proceedings')}</h3>
        {d.proceedings.length === 0 ? (
          <p className="muted">{s('noProceedings')}</p>
        ) : (
          <ul data-testid="proceedings">
            {d.proceedings.map((p) => (
              <li key={p.id}>
                {fd(p.judgmentDate)} — {p.label} ({p.tribunal ?? '—'}), {s('published')} {fd(p.publicationDate)}
                {p.mandataire ? ` — ${s('mandataire')} : ${p.mandataire}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
