import { AppError } from '../../errors.js';
import { addDays, type IsoDate, isIsoDate } from '../calendar/index.js';
import { fromDecimal, isCurrency, type Money, toDecimal, toMajorString } from '../money/index.js';
import { countDays, DAY_COUNTS, type DayCount, isDayCount } from './day-count.js';
import { dec, type LawDecimal, ZERO } from './decimal.js';
import { getJurisdiction } from './jurisdictions/index.js';
import type { RateTable } from './rate-table.js';
import type { RateRow } from './rates/index.js';
import { splitBySemester } from './semesters.js';
import type {
  DebtorKind,
  ImputationTarget,
  InterestLine,
  LawWarning,
  PaymentImputation,
  PenaltyInput,
  PenaltyStatement,
  RowRef,
} from './types.js';

export const ROUNDING_CONVENTION =
  'Interest is computed in exact decimals per period; each line is rounded to the cent for display only; ' +
  'totals are rounded once, half-up, from the unrounded sums (so displayed lines may differ from the total by a cent).';

function invalid(field: string, value: string, reason: string): AppError {
  return new AppError('VALIDATION', `${field}: ${reason}`, [{ field, value, reason }]);
}

function checkDate(value: string | undefined, field: string): IsoDate {
  if (value === undefined || !isIsoDate(value))
    throw invalid(field, String(value), `"${value}" is not a valid YYYY-MM-DD date`);
  return value;
}

function checkAmount(m: Money, currency: string, field: string): void {
  if (!Number.isSafeInteger(m.amount))
    throw invalid(field, String(m.amount), 'is not a whole number of minor units');
  if (m.currency !== currency)
    throw invalid(field, m.currency, `currency ${m.currency} differs from the debt's ${currency}`);
  if (m.amount <= 0) throw invalid(field, String(m.amount), 'must be greater than zero');
}

function parseRate(value: string): LawDecimal {
  const trimmed = value.trim().replace(',', '.').replace(/%$/, '').trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed))
    throw invalid('contractualRate', value, `"${value}" is not a percentage (e.g. 15 or 12.5)`);
  const rate = dec(trimmed);
  if (rate.gt(100)) throw invalid('contractualRate', value, 'is above 100 % a year');
  return rate;
}

const rowRef = (r: RateRow): RowRef => ({
  series: r.series,
  effectiveFrom: r.effectiveFrom,
  rate: r.rate,
  source: r.source,
  status: r.status,
  provisional: r.provisional,
  origin: r.origin,
});

/**
 * Late-payment interest and fixed indemnity for one invoice, to any date, as a statement.
 *
 * Conventions (docs/law.md): interest is simple and per day, never capitalised
 * (art. 1343-2 C. civ. needs a clause or a judgment); the delay counts from the first accrual
 * day to `until`, both included; a payment made on day P bears interest through P and the
 * reduced balance from P + 1; periods are cut at 1 January and 1 July and each half-year
 * takes its own rate; payments are imputed in the jurisdiction's legal order.
 */
export function computePenalties(input: PenaltyInput, rates: RateTable): PenaltyStatement {
  const jurisdiction = getJurisdiction(input.jurisdiction);
  const kindRaw = String(input.kind).toLowerCase();
  if (kindRaw !== 'b2b' && kindRaw !== 'b2c') throw invalid('kind', input.kind, 'must be b2b or b2c');
  const kind: DebtorKind = kindRaw;
  const currency = input.principal.currency;
  if (!isCurrency(currency)) throw invalid('currency', currency, `unknown currency "${currency}"`);
  checkAmount(input.principal, currency, 'amount');
  const dueDate = checkDate(input.dueDate, 'dueDate');
  const until = checkDate(input.until, 'until');
  if (until < dueDate) throw invalid('until', until, `${until} is before the due date ${dueDate}`);
  const noticeDate = input.noticeDate === undefined ? undefined : checkDate(input.noticeDate, 'noticeDate');
  if (noticeDate && noticeDate > until)
    throw invalid('noticeDate', noticeDate, `${noticeDate} is after the end date ${until}`);
  const dayCountRaw = input.dayCount ?? jurisdiction.defaultDayCount;
  if (!isDayCount(dayCountRaw))
    throw invalid('dayCount', dayCountRaw, `must be one of ${DAY_COUNTS.join(', ')}`);
  const dayCount: DayCount = dayCountRaw;
  const contractual = input.contractualRate === undefined ? undefined : parseRate(input.contractualRate);

  const payments = (input.payments ?? []).map((p, i) => {
    const date = checkDate(p.date, `payments[${i}].date`);
    if (date > until) throw invalid(`payments[${i}].date`, date, `${date} is after the end date ${until}`);
    checkAmount(p.amount, currency, `payments[${i}].amount`);
    return { ...p, date, index: i };
  });
  // Stable: same-day payments keep their given order.
  payments.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.index - b.index));

  const warnings: LawWarning[] = [];
  const start = jurisdiction.interestStart(kind, dueDate, noticeDate);
  if (start.warning) warnings.push(start.warning);
  const waivePenalties = input.waivePenalties === true;
  if (waivePenalties) {
    warnings.push({
      code: 'PENALTIES_WAIVED',
      message: 'Penalties waived by the organisation: interest is shown but not claimed',
    });
  }

  const indemnityRule = jurisdiction.fixedIndemnity(kind, input.principal);
  let indemnityApplies = indemnityRule !== null;
  if (indemnityRule && indemnityRule.amount.currency !== currency) {
    indemnityApplies = false;
    warnings.push({
      code: 'INDEMNITY_CURRENCY',
      message: `Fixed indemnity not added: ${jurisdiction.name} sets it in ${indemnityRule.amount.currency} and the debt is in ${currency} (${indemnityRule.reference})`,
    });
  }
  const waiveIndemnity = input.waiveIndemnity === true;
  if (waiveIndemnity && indemnityRule) {
    warnings.push({
      code: 'INDEMNITY_WAIVED',
      message: 'Fixed recovery indemnity waived by the organisation',
    });
  }

  const imputation = jurisdiction.imputationOrder(kind);
  let principal = major(input.principal);
  let interestDue = ZERO; // accrued and not yet paid (claimable)
  let interestAccrued = ZERO;
  let interestPaid = ZERO;
  let principalPaid = ZERO;
  let costsDue = ZERO;
  let overpaid = ZERO;
  let indemnityArisen = false;
  const lines: InterestLine[] = [];
  const imputations: PaymentImputation[] = [];
  const quoteCache = new Map<string, ReturnType<typeof jurisdiction.rateFor>>();
  const seenWarnings = new Set<string>();

  const quoteFor = (semester: Parameters<typeof jurisdiction.rateFor>[0]) => {
    let q = quoteCache.get(semester.label);
    if (!q) {
      q = jurisdiction.rateFor(semester, kind, rates, contractual);
      quoteCache.set(semester.label, q);
      for (const w of q.warnings) {
        const key = `${w.code}|${w.message}`;
        if (!seenWarnings.has(key)) {
          seenWarnings.add(key);
          warnings.push(w);
        }
      }
    }
    return q;
  };

  // The indemnity is owed "de plein droit" as soon as the invoice is late (L441-10 II).
  const lateBy = (date: IsoDate) => {
    if (indemnityArisen || date <= dueDate || principal.lte(0)) return;
    indemnityArisen = true;
    if (indemnityRule && indemnityApplies && !waiveIndemnity) costsDue = major(indemnityRule.amount);
  };

  let cursor: IsoDate | null = start.from;
  const accrueThrough = (to: IsoDate) => {
    if (cursor === null || to < cursor) return;
    for (const seg of splitBySemester(cursor, to)) {
      if (principal.lte(0)) break;
      const quote = quoteFor(seg.semester);
      const { days, basis } = countDays(seg.from, seg.to, dayCount);
      const interest = principal.times(quote.rate).div(100).times(days).div(basis);
      interestAccrued = interestAccrued.plus(interest);
      if (!waivePenalties) interestDue = interestDue.plus(interest);
      lines.push({
        from: seg.from,
        to: seg.to,
        period: seg.semester.label,
        days,
        dayBasis: basis,
        base: principal.toFixed(10).replace(/\.?0+$/, ''),
        ratePct: quote.rate.toFixed(2),
        rateKind: quote.kind,
        rateBasis: quote.basis,
        rows: quote.rows.map(rowRef),
        interestExact: interest.toFixed(10),
        interest: fromDecimal(interest.toString(), currency),
      });
    }
    cursor = addDays(to, 1);
  };

  for (const p of payments) {
    lateBy(p.date);
    accrueThrough(p.date);
    let left = major(p.amount);
    const parts: Record<ImputationTarget, LawDecimal> = { costs: ZERO, interest: ZERO, principal: ZERO };
    for (const target of imputation.order) {
      const open = target === 'costs' ? costsDue : target === 'interest' ? interestDue : principal;
      const take = LawDecimalMin(left, open);
      if (take.lte(0)) continue;
      parts[target] = take;
      left = left.minus(take);
      if (target === 'costs') costsDue = costsDue.minus(take);
      else if (target === 'interest') {
        interestDue = interestDue.minus(take);
        interestPaid = interestPaid.plus(take);
      } else {
        principal = principal.minus(take);
        principalPaid = principalPaid.plus(take);
      }
    }
    overpaid = overpaid.plus(left);
    imputations.push({
      date: p.date,
      amount: p.amount,
      toCosts: fromDecimal(parts.costs.toString(), currency),
      toInterest: fromDecimal(parts.interest.toString(), currency),
      toPrincipal: fromDecimal(parts.principal.toString(), currency),
      overpayment: fromDecimal(left.toString(), currency),
      exact: {
        toCosts: parts.costs.toFixed(10),
        toInterest: parts.interest.toFixed(10),
        toPrincipal: parts.principal.toFixed(10),
        overpayment: left.toFixed(10),
      },
      order: imputation.order,
    });
  }
  lateBy(until);
  accrueThrough(until);

  if (until === dueDate)
    warnings.push({ code: 'NOT_LATE', message: `Not late on ${until}: the due date is ${dueDate}` });
  if (overpaid.gt(0)) {
    warnings.push({
      code: 'OVERPAYMENT',
      message: `Payments exceed what is owed by ${toMajorString(fromDecimal(overpaid.toString(), currency))} ${currency}: a credit to refund or allocate elsewhere`,
    });
  }

  const rateSources = new Map<string, RowRef>();
  for (const l of lines) for (const r of l.rows) rateSources.set(`${r.series}|${r.effectiveFrom}`, r);
  const sources = [...rateSources.values()];
  const rateStatus = sources.some((r) => r.provisional || r.status === 'unverified')
    ? 'unverified'
    : 'verified';

  const m = (d: LawDecimal): Money => fromDecimal(d.toString(), currency);
  const totalDue = principal.plus(interestDue).plus(costsDue);
  return {
    jurisdiction: jurisdiction.code,
    kind,
    currency,
    principal: input.principal,
    dueDate,
    until,
    noticeDate: noticeDate ?? null,
    dayCount,
    interestFrom: start.from,
    interestReference: start.reference,
    contractualRate: contractual ? contractual.toFixed(2) : null,
    lines,
    payments: imputations,
    imputation,
    indemnity:
      indemnityRule && indemnityApplies && indemnityArisen
        ? { ...indemnityRule, waived: waiveIndemnity }
        : null,
    collectionFees: jurisdiction.collectionFees(kind),
    penaltiesWaived: waivePenalties,
    totals: {
      interestAccrued: m(interestAccrued),
      interestPaid: m(interestPaid),
      interestOutstanding: m(interestDue),
      interestWaived: waivePenalties ? m(interestAccrued) : null,
      principalPaid: m(principalPaid),
      principalOutstanding: m(principal),
      indemnityOutstanding: m(costsDue),
      overpayment: m(overpaid),
      totalDue: m(totalDue),
    },
    warnings,
    rateStatus,
    rateSources: sources,
    references: jurisdiction.references(kind),
    rounding: ROUNDING_CONVENTION,
  };
}

/** A money amount as an engine decimal in major units. */
function major(m: Money): LawDecimal {
  return dec(toDecimal(m).toString());
}

function LawDecimalMin(a: LawDecimal, b: LawDecimal): LawDecimal {
  return a.lt(b) ? a : b;
}
