import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import { formatDate } from '../format';
import { useBankReviewText } from './bank-review.i18n';

interface Allocation {
  invoiceId: string;
  invoiceNumber: string;
  amountMinor: number;
}
interface Proposal {
  customerId: string | null;
  confidence: number;
  allocations: Allocation[];
  reasons: { code: string; detail: string }[];
}
interface ReviewLine {
  id: string;
  bookingDate: string;
  amountMinor: number;
  currency: string;
  counterparty: string | null;
  remittance: string | null;
  confidence: number | null;
  explanation: { reasons?: { code: string }[]; proposal?: Proposal; alternatives?: Proposal[] } | null;
}

function money(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
}

/**
 * The review queue: the bank lines the matcher left, largest first, each with its best
 * proposal and why. Keyboard first: ↑/↓ (or j/k) choose, Enter confirms, S splits, N sets aside.
 */
export function BankReviewPage() {
  const { t, reason } = useBankReviewText();
  const { locale } = useI18n();
  const qc = useQueryClient();
  const [selected, setSelected] = useState(0);
  const [splitting, setSplitting] = useState<Record<string, string> | null>(null);
  const [notice, setNotice] = useState('');
  const lines = useQuery({
    queryKey: ['bank-review'],
    queryFn: () =>
      api<{ items: ReviewLine[] }>('/bank-statement-lines?status=unmatched&order=amount&limit=200').then((r) => r.items),
  });
  const items = lines.data ?? [];
  const current = items[Math.min(selected, Math.max(0, items.length - 1))];
  const done = (message: string) => {
    setNotice(message);
    setSplitting(null);
    void qc.invalidateQueries({ queryKey: ['bank-review'] });
  };
  const confirm = useMutation({
    mutationFn: (v: { line: ReviewLine; allocations?: { invoiceId: string; amountMinor: number }[] }) =>
      api(`/bank-statement-lines/${v.line.id}/match`, {
        method: 'POST',
        body: {
          ...(v.line.explanation?.proposal?.customerId ? { customerId: v.line.explanation.proposal.customerId } : {}),
          ...(v.allocations ? { allocations: v.allocations } : {}),
        },
      }),
    onSuccess: () => done(t('confirmed')),
  });
  const setAside = useMutation({
    mutationFn: (line: ReviewLine) => api(`/bank-statement-lines/${line.id}/not-customer`, { method: 'POST', body: {} }),
    onSuccess: () => done(t('setAside')),
  });
  const candidates = (line: ReviewLine | undefined): Allocation[] => {
    const all = [line?.explanation?.proposal, ...(line?.explanation?.alternatives ?? [])].filter(
      (p): p is Proposal => Boolean(p) && p?.customerId === line?.explanation?.proposal?.customerId,
    );
    const seen = new Map<string, Allocation>();
    for (const p of all) for (const a of p.allocations) if (!seen.has(a.invoiceId)) seen.set(a.invoiceId, a);
    return [...seen.values()];
  };
  const startSplit = useCallback(() => {
    if (!current?.explanation?.proposal?.customerId) return;
    setSplitting(
      Object.fromEntries(
        candidates(current).map((a) => [a.invoiceId, (a.amountMinor / 100).toFixed(2).replace('.', ',')]),
      ),
    );
  }, [current]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (splitting || !current) return;
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (e.key === 'ArrowDown' || e.key === 'j') setSelected((i) => Math.min(i + 1, items.length - 1));
      else if (e.key === 'ArrowUp' || e.key === 'k') setSelected((i) => Math.max(i - 1, 0));
      else if (e.key === 'Enter' && current.explanation?.proposal?.customerId) confirm.mutate({ line: current });
      else if (e.key === 'n' || e.key === 'N') setAside.mutate(current);
      else if (e.key === 's' || e.key === 'S') startSplit();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current, items.length, splitting, confirm, setAside, startSplit]);

  const saveSplit = () => {
    if (!current || !splitting) return;
    const allocations = Object.entries(splitting)
      .map(([invoiceId, v]) => ({ invoiceId, amountMinor: Math.round(Number(v.replace(/\s/g, '').replace(',', '.')) * 100) }))
      .filter((a) => a.amountMinor > 0);
    confirm.mutate({ line: current, allocations });
  };
  const error = (confirm.error ?? setAside.error) as { problem?: { detail?: string; title?: string } } | null;

  return (
    <section className="bank-review">
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {notice && <p role="status">{notice}</p>}
      {error && <p role="alert">{error.problem?.detail ?? error.problem?.title}</p>}
      {lines.isSuccess && items.length === 0 && <p>{t('empty')}</p>}
      <ol className="review-lines">
        {items.map((line, i) => {
          const p = line.explanation?.proposal;
          const isCurrent = line.id === current?.id;
          return (
            <li key={line.id} className="review-line" aria-current={isCurrent ? 'true' : undefined} data-testid="review-line">
              <button type="button" className="review-pick" onClick={() => setSelected(i)}>
                <strong data-testid="amount">{money(line.amountMinor, line.currency, locale)}</strong>{' '}
                <span>{formatDate(line.bookingDate, locale)}</span> — <span>{line.counterparty ?? '—'}</span>
              </button>
              <div className="review-text">
                {t('text')} : {line.remittance ?? '—'}
              </div>
              <div className="review-suggestion">
                {p ? (
                  <>
                    {t('suggestion')} : {p.allocations.map((a) => `${a.invoiceNumber} (${money(a.amountMinor, line.currency, locale)})`).join(', ')}{' '}
                    — {t('confidence')} {p.confidence} %
                    <ul className="review-why" aria-label={t('why')}>
                      {p.reasons.map((r) => (
                        <li key={r.code}>{reason(r.code)}</li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <>
                    {t('none')}
                    <ul className="review-why" aria-label={t('why')}>
                      {(line.explanation?.reasons ?? []).map((r) => (
                        <li key={r.code}>{reason(r.code)}</li>
                      ))}
                    </ul>
                  </>
                )}
              </div>
              {isCurrent && (
                <div className="review-actions">
                  {p?.customerId && (
                    <button type="button" onClick={() => confirm.mutate({ line })}>
                      {t('confirm')} (⏎)
                    </button>
                  )}
                  {p?.customerId && (
                    <button type="button" onClick={startSplit}>
                      {t('split')} (S)
                    </button>
                  )}
                  <button type="button" onClick={() => setAside.mutate(line)}>
                    {t('notCustomer')} (N)
                  </button>
                </div>
              )}
              {isCurrent && splitting && (
                <form
                  className="review-split"
                  onSubmit={(e) => {
                    e.preventDefault();
                    saveSplit();
                  }}
                >
                  {candidates(line).map((a) => (
                    <label key={a.invoiceId}>
                      {t('invoice')} {a.invoiceNumber}
                      <input
                        inputMode="decimal"
                        value={splitting[a.invoiceId] ?? ''}
                        onChange={(e) => setSplitting({ ...splitting, [a.invoiceId]: e.target.value })}
                      />
                    </label>
                  ))}
                  <button type="submit">{t('saveSplit')}</button>
                  <button type="button" onClick={() => setSplitting(null)}>
                    {t('cancel')}
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
