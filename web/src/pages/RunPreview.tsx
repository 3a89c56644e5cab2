import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDate } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { dunningApi, minorToText } from './dunning-api';
import { type RunPreviewMessage, runPreviewText } from './run-preview.i18n';

const RUN_PAGE = 50;

function tomorrow(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** "Prochaine relance": what the next run will send, to whom and why; approve or hold what waits. */
export function RunPreviewPage() {
  const { lang, locale } = useI18n();
  const t = runPreviewText(lang);
  const session = useSession();
  const canDecide = session.user.role !== 'viewer';
  const qc = useQueryClient();
  const [date, setDate] = useState(tomorrow);
  const [pageNo, setPageNo] = useState(0);
  const run = useQuery({ queryKey: ['run-preview', date], queryFn: () => dunningApi.runPreview(date) });
  const approvals = useQuery({ queryKey: ['dunning-approvals'], queryFn: dunningApi.approvals });
  const decide = useMutation({
    mutationFn: (v: { decision: 'approve' | 'hold'; customerId: string }) =>
      dunningApi.decide(v.decision, [v.customerId]),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['dunning-approvals'] }),
  });
  const toggle = useMutation({
    mutationFn: (on: boolean) => dunningApi.setRequireApproval(on),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['dunning-approvals'] }),
  });
  const money = (totals: { currency: string; balanceMinor: number }[]) =>
    totals.map((x) => minorToText(x.balanceMinor, x.currency, locale)).join(' + ');

  return (
    <section aria-labelledby="run-title">
      <h1 id="run-title">{t('title')}</h1>

      <div className="row filters">
        <p data-testid="approval-mode">{approvals.data?.requireApproval ? t('approvalOn') : t('approvalOff')}</p>
        {session.user.role === 'admin' && approvals.data && (
          <button type="button" onClick={() => toggle.mutate(!approvals.data.requireApproval)}>
            {approvals.data.requireApproval ? t('turnOff') : t('turnOn')}
          </button>
        )}
      </div>

      <h2>{t('awaiting')}</h2>
      {approvals.data && approvals.data.customers.length === 0 ? (
        <p>{t('noneAwaiting')}</p>
      ) : (
        <table data-testid="approvals-table">
          <thead>
            <tr>
              <th scope="col">{t('customer')}</th>
              <th scope="col">{t('what')}</th>
              <th scope="col">{t('channels')}</th>
              <th scope="col">{t('why')}</th>
              <th scope="col">{t('decision')}</th>
            </tr>
          </thead>
          <tbody>
            {approvals.data?.customers.map((c) => {
              const held = c.actions.every((a) => a.status === 'held');
              return (
                <tr key={c.customerId} data-customer={c.customerName}>
                  <td>{c.customerName}</td>
                  <td>
                    {c.actions.map((a) => (
                      <div key={a.idempotencyKey}>
                        {a.stepLabel} — {a.items.map((i) => i.invoiceNumber).join(', ')} ({money(a.totals)})
                      </div>
                    ))}
                  </td>
                  <td>{[...new Set(c.actions.flatMap((a) => a.channels.map((x) => x.channel)))].join(', ')}</td>
                  <td className="muted">{c.actions.map((a) => a.reason).join(' · ')}</td>
                  <td>
                    {held && <span>{t('held')} </span>}
                    {canDecide && (
                      <span className="row">
                        <button
                          type="button"
                          aria-label={`${t('approve')} ${c.customerName}`}
                          disabled={decide.isPending}
                          onClick={() => decide.mutate({ decision: 'approve', customerId: c.customerId })}
                        >
                          {t('approve')}
                        </button>
                        {!held && (
                          <button
                            type="button"
                            aria-label={`${t('hold')} ${c.customerName}`}
                            disabled={decide.isPending}
                            onClick={() => decide.mutate({ decision: 'hold', customerId: c.customerId })}
                          >
                            {t('hold')}
                          </button>
                        )}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2>{t('planned')}</h2>
      <div className="row filters">
        <label>
          {t('date')}{' '}
          <input type="date" value={date} onChange={(e) => {
              if (!e.target.value) return;
              setDate(e.target.value);
              setPageNo(0);
            }} />
        </label>
        {run.data && (
          <span data-testid="run-summary">
            {formatDate(run.data.localDate, locale)} : <strong>{run.data.actions}</strong> {t('sendsPlanned')}{' '}
            <strong>{run.data.customersScanned}</strong> {t('customersScanned')} <strong>{run.data.postponed}</strong>{' '}
            {t('postponedCount')}
            {run.data.postponed > 0 && (
              <>
                {' — '}
                {t('whyShort')}{' '}
                {postponedWhy(run.data.customers.flatMap((c) => c.postponed.map((p) => p.reason)))
                  .map(([reason, n]) => `${n} ${reasonText(reason)}`)
                  .join(', ')}
              </>
            )}
          </span>
        )}
      </div>
      {run.isPending ? (
        <p aria-busy="true">…</p>
      ) : run.isError ? (
        <p role="alert">{run.error.message}</p>
      ) : run.data.customers.every((c) => c.actions.length + c.postponed.length === 0) ? (
        <p>{t('nothing')}</p>
      ) : (
        <table data-testid="run-table">
          <thead>
            <tr>
              <th scope="col">{t('customer')}</th>
              <th scope="col">{t('policy')}</th>
              <th scope="col">{t('what')}</th>
              <th scope="col">{t('channels')}</th>
              <th scope="col">{t('why')}</th>
            </tr>
          </thead>
          <tbody>
            {run.data.customers
              .filter((c) => c.actions.length + c.postponed.length > 0)
              .slice(pageNo * RUN_PAGE, (pageNo + 1) * RUN_PAGE)
              .map((c) => (
                <tr key={c.customerId}>
                  <td>{c.customerName}</td>
                  <td>
                    {c.policyKey} v{c.policyVersion}
                  </td>
                  <td>
                    {c.actions.map((a) => (
                      <div key={a.stepKey + a.items.map((i) => i.invoiceId).join()}>
                        {a.stepLabel}
                        {a.kind === 'task' ? ` (${t('task')})` : ''} — {a.items.map((i) => i.invoiceNumber).join(', ')}{' '}
                        ({money(a.totals)})
                      </div>
                    ))}
                    {c.postponed.map((p) => (
                      <div key={p.stepLabel + p.nextTryDate} className="muted">
                        {p.stepLabel}: {t('postponed')} {formatDate(p.nextTryDate, locale)} ({reasonText(p.reason)})
                      </div>
                    ))}
                  </td>
                  <td>{[...new Set(c.actions.flatMap((a) => a.channels.map((x) => x.channel)))].join(', ')}</td>
                  <td className="muted">{c.actions.map((a) => a.reason).join(' · ') || c.policyReason}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {run.data && (
        <RunPager
          page={pageNo}
          pages={Math.ceil(
            run.data.customers.filter((c) => c.actions.length + c.postponed.length > 0).length / RUN_PAGE,
          )}
          onPage={setPageNo}
          t={t}
        />
      )}
    </section>
  );

  function reasonText(reason: string): string {
    const key = `pr_${reason}`;
    return key === 'pr_quiet_hours' || key === 'pr_sunday' || key === 'pr_public_holiday' || key === 'pr_pressure_limit'
      ? t(key as RunPreviewMessage)
      : reason.replace(/_/g, ' ');
  }
}

/** Postponement reasons, most frequent first. */
function postponedWhy(reasons: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

function RunPager({
  page,
  pages,
  onPage,
  t,
}: {
  page: number;
  pages: number;
  onPage: (p: number) => void;
  t: (k: RunPreviewMessage) => string;
}) {
  if (pages <= 1) return null;
  return (
    <nav className="row" aria-label="Pagination" data-testid="run-pager">
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        {t('prevPage')}
      </button>
      <span>
        {page + 1} {t('pageOf')} {pages}
      </span>
      <button type="button" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>
        {t('nextPage')}
      </button>
    </nav>
  );
}
