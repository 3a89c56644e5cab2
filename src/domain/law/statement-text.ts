import { formatMoney, fromDecimal, type Money } from '../money/index.js';
import type { PenaltyStatement } from './types.js';

const LOCALES: Record<string, string> = { FR: 'fr-FR', DE: 'de-DE', GB: 'en-GB', EU: 'en-IE' };

export function statementLocale(s: Pick<PenaltyStatement, 'jurisdiction'>): string {
  return LOCALES[s.jurisdiction] ?? 'en-GB';
}

const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

/**
 * The statement as plain text, line by line: each period with its days, base, rate and the
 * rate row it came from, each payment and how it was imputed, the totals and warnings.
 * Used by the CLI and as the computation annex of the formal notice.
 */
export function renderStatementText(s: PenaltyStatement, locale = statementLocale(s)): string {
  const m = (x: Money) => formatMoney(x, locale).replace(/[\u202f\u00a0]/g, ' ');
  const out: string[] = [];
  out.push(`Late-payment statement: ${s.jurisdiction} ${s.kind.toUpperCase()}, ${s.currency}`);
  out.push(`Principal ${m(s.principal)} due ${s.dueDate}, computed to ${s.until} (day count ${s.dayCount})`);
  out.push(
    s.interestFrom
      ? `Interest from ${s.interestFrom}: ${s.interestReference}`
      : `No interest runs: ${s.interestReference}`,
  );
  if (s.contractualRate) out.push(`Contractual rate: ${s.contractualRate} %`);
  if (s.lines.length > 0) {
    out.push('');
    out.push(
      `${pad('Period', 25)} ${lpad('Days', 4)} ${lpad('Base', 14)} ${lpad('Rate', 8)} ${lpad('Interest', 12)}  Rate used`,
    );
    for (const l of s.lines) {
      const base = m(fromDecimal(l.base, s.currency));
      out.push(
        `${pad(`${l.from} → ${l.to}`, 25)} ${lpad(String(l.days), 4)} ${lpad(base, 14)} ${lpad(`${l.ratePct} %`, 8)} ${lpad(m(l.interest), 12)}  ${l.rateBasis}`,
      );
      for (const r of l.rows) {
        out.push(
          `${' '.repeat(27)}row ${r.series} ${r.rate} % from ${r.effectiveFrom} (${r.origin}, ${r.status === 'unverified' || r.provisional ? 'UNVERIFIED' : r.status}): ${r.source}`,
        );
      }
    }
  }
  if (s.payments.length > 0) {
    out.push('');
    out.push(`Payments (imputation: ${s.imputation.order.join(' → ')}; ${s.imputation.reference})`);
    for (const p of s.payments) {
      const parts = [
        p.toCosts.amount ? `costs ${m(p.toCosts)}` : '',
        p.toInterest.amount ? `interest ${m(p.toInterest)}` : '',
        p.toPrincipal.amount ? `principal ${m(p.toPrincipal)}` : '',
        p.overpayment.amount ? `overpaid ${m(p.overpayment)}` : '',
      ].filter(Boolean);
      out.push(`  ${p.date}  ${lpad(m(p.amount), 14)}  → ${parts.join(', ') || 'nothing'}`);
    }
  }
  out.push('');
  out.push('Totals');
  const t = s.totals;
  const row = (label: string, v: Money, note = '') =>
    out.push(`  ${pad(label, 24)}${lpad(m(v), 16)}${note ? `  ${note}` : ''}`);
  row('Interest accrued', t.interestAccrued, s.penaltiesWaived ? '(waived)' : '');
  if (t.interestPaid.amount) row('Interest paid', t.interestPaid);
  row('Interest outstanding', t.interestOutstanding);
  if (t.principalPaid.amount) row('Principal paid', t.principalPaid);
  row('Principal outstanding', t.principalOutstanding);
  if (s.indemnity) {
    if (s.indemnity.waived) row('Fixed indemnity', s.indemnity.amount, '(waived, not claimed)');
    else row('Fixed indemnity due', t.indemnityOutstanding, s.indemnity.reference);
  }
  if (t.overpayment.amount) row('Overpayment (credit)', t.overpayment);
  row('Total due', t.totalDue);
  out.push(
    `  Collection fees chargeable: ${s.collectionFees.allowed ? 'yes' : 'no'} (${s.collectionFees.reference})`,
  );
  if (s.lines.length > 0) {
    out.push('');
    out.push(
      s.rateStatus === 'verified'
        ? 'Rates: every rate used is confirmed by the official source cited on its line'
        : 'Rates: UNVERIFIED: at least one rate used has no official confirmation (see warnings); check it before relying on this statement',
    );
  }
  if (s.warnings.length > 0) {
    out.push('');
    out.push('Warnings');
    for (const w of s.warnings) out.push(`  ! ${w.message}`);
  }
  out.push('');
  out.push(`Rounding: ${s.rounding}`);
  return `${out.join('\n')}\n`;
}
