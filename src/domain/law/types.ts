import type { IsoDate } from '../calendar/index.js';
import type { Money } from '../money/index.js';
import type { DayCount } from './day-count.js';
import type { LawDecimal } from './decimal.js';
import type { RateTable } from './rate-table.js';
import type { RateRow } from './rates/index.js';
import type { Semester } from './semesters.js';

export const JURISDICTION_CODES = ['FR', 'DE', 'GB', 'EU'] as const;
export type JurisdictionCode = (typeof JURISDICTION_CODES)[number];
export type DebtorKind = 'b2b' | 'b2c';

export type WarningCode =
  | 'FLOOR_APPLIED'
  | 'PROVISIONAL_RATE'
  | 'NO_INTEREST_WITHOUT_NOTICE'
  | 'NOT_APPLICABLE'
  | 'OVERPAYMENT'
  | 'INDEMNITY_CURRENCY'
  | 'PENALTIES_WAIVED'
  | 'INDEMNITY_WAIVED'
  | 'NOT_LATE';

export interface LawWarning {
  code: WarningCode;
  message: string;
  /** Semester label when the warning concerns one period. */
  period?: string;
}

/** The components a payment can be imputed to, in a jurisdiction's legal order. */
export type ImputationTarget = 'costs' | 'interest' | 'principal';

export interface RateQuote {
  /** Percent per year. */
  rate: LawDecimal;
  kind: 'statutory' | 'contractual' | 'floor';
  /** Human explanation: "ECB MRO 2.15 % in force on 2025-07-01 + 10 points (L441-10 C. com.)". */
  basis: string;
  /** Every row the rate was derived from (statutory rate and, for a clause, the floor). */
  rows: RateRow[];
  warnings: LawWarning[];
}

export interface InterestStart {
  /** First day interest accrues, or null when no interest runs. */
  from: IsoDate | null;
  reference: string;
  warning?: LawWarning;
}

export interface FixedIndemnity {
  amount: Money;
  reference: string;
}

export type LimitationStart = 'performance' | 'due';

export interface LimitationRule {
  years: number;
  /** Which receivable date starts the period. */
  startsFrom: LimitationStart;
  /** §199 BGB: the period starts at the end of the year the claim arose. */
  fromEndOfYear: boolean;
  /** Absolute cap from the claim's birth (art. 2232 C. civ.), if any. */
  capYears?: number;
  reference: string;
  interruptionReference: string;
}

/**
 * One legal system. Everything the engine needs from the law goes through here, so a
 * new country is one file.
 */
export interface Jurisdiction {
  code: JurisdictionCode;
  name: string;
  /** Currency of the fixed sums (40 €, £40/£70/£100). */
  currency: string;
  defaultDayCount: DayCount;
  interestStart(kind: DebtorKind, dueDate: IsoDate, noticeDate?: IsoDate): InterestStart;
  /** The annual rate for one half-year, with the legal floor applied to a contractual rate. */
  rateFor(semester: Semester, kind: DebtorKind, rates: RateTable, contractualRate?: LawDecimal): RateQuote;
  /** The fixed recovery indemnity per late invoice, or null when none is owed. */
  fixedIndemnity(kind: DebtorKind, principal: Money): FixedIndemnity | null;
  imputationOrder(kind: DebtorKind): { order: ImputationTarget[]; reference: string };
  collectionFees(kind: DebtorKind): { allowed: boolean; reference: string };
  limitation(kind: DebtorKind): LimitationRule | null;
  references(kind: DebtorKind): string[];
}

export interface PaymentInput {
  date: IsoDate;
  amount: Money;
}

export interface PenaltyInput {
  jurisdiction: string;
  kind: string;
  principal: Money;
  dueDate: IsoDate;
  until: IsoDate;
  payments?: PaymentInput[];
  /** Contractual late-payment rate, percent per year (e.g. "15"). */
  contractualRate?: string;
  /** Date of the formal notice (mise en demeure, Mahnung). */
  noticeDate?: IsoDate;
  dayCount?: string;
  /** Organisation waived the penalties (interest) for this customer or invoice. */
  waivePenalties?: boolean;
  /** Organisation waived the fixed indemnity for this customer or invoice. */
  waiveIndemnity?: boolean;
}

export interface RowRef {
  series: string;
  effectiveFrom: IsoDate;
  rate: string;
  /** The official citation. */
  source: string;
  status: 'verified' | 'corrected' | 'unverified';
  provisional: boolean;
  origin: 'built-in' | 'organisation';
}

export interface InterestLine {
  from: IsoDate;
  to: IsoDate;
  period: string;
  days: number;
  dayBasis: number;
  /** Principal the interest runs on, exact decimal string. */
  base: string;
  ratePct: string;
  rateKind: RateQuote['kind'];
  rateBasis: string;
  rows: RowRef[];
  /** Exact interest (decimal string, 10 places). */
  interestExact: string;
  /** Rounded to the cent for display only: totals come from the exact sum. */
  interest: Money;
}

export interface PaymentImputation {
  date: IsoDate;
  amount: Money;
  toCosts: Money;
  toInterest: Money;
  toPrincipal: Money;
  overpayment: Money;
  /** Exact parts (decimal strings): interest settled by a payment is an exact decimal. */
  exact: { toCosts: string; toInterest: string; toPrincipal: string; overpayment: string };
  order: ImputationTarget[];
}

export interface PenaltyStatement {
  jurisdiction: JurisdictionCode;
  kind: DebtorKind;
  currency: string;
  principal: Money;
  dueDate: IsoDate;
  until: IsoDate;
  noticeDate: IsoDate | null;
  dayCount: DayCount;
  interestFrom: IsoDate | null;
  interestReference: string;
  contractualRate: string | null;
  lines: InterestLine[];
  payments: PaymentImputation[];
  imputation: { order: ImputationTarget[]; reference: string };
  indemnity: (FixedIndemnity & { waived: boolean }) | null;
  collectionFees: { allowed: boolean; reference: string };
  penaltiesWaived: boolean;
  totals: {
    interestAccrued: Money;
    interestPaid: Money;
    interestOutstanding: Money;
    /** Interest the organisation waived (not due), null when not waived. */
    interestWaived: Money | null;
    principalPaid: Money;
    principalOutstanding: Money;
    indemnityOutstanding: Money;
    overpayment: Money;
    totalDue: Money;
  };
  warnings: LawWarning[];
  /**
   * 'verified' when every rate row used is confirmed by an official source; 'unverified'
   * when at least one is not (each is named in `warnings` and `rateSources`): a document
   * must say so and the collector approve it before it goes out. (A period with no row at
   * all is refused with LAW_NO_RATE, `extra.rateStatus` 'missing'.)
   */
  rateStatus: 'verified' | 'unverified';
  /** Every rate row the statement used, once, with its official citation and status. */
  rateSources: RowRef[];
  references: string[];
  rounding: string;
}
