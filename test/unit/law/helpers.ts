import { computePenalties } from '../../../src/domain/law/penalties.js';
import { builtInRates, type RateTable } from '../../../src/domain/law/rate-table.js';
import type { PenaltyInput, PenaltyStatement } from '../../../src/domain/law/types.js';
import { type Money, parseAmount, toMajorString } from '../../../src/domain/money/index.js';
import { AppError } from '../../../src/errors.js';

export interface Case {
  jurisdiction: string;
  kind: 'b2b' | 'b2c';
  amount: string;
  currency?: string;
  due: string;
  until: string;
  payments?: [date: string, amount: string][];
  rateClause?: string;
  notice?: string;
  dayCount?: string;
  waivePenalties?: boolean;
  waiveIndemnity?: boolean;
}

export function input(c: Case): PenaltyInput {
  const currency = c.currency ?? (c.jurisdiction === 'GB' ? 'GBP' : 'EUR');
  return {
    jurisdiction: c.jurisdiction,
    kind: c.kind,
    principal: parseAmount(c.amount, currency),
    dueDate: c.due,
    until: c.until,
    payments: (c.payments ?? []).map(([date, amount]) => ({ date, amount: parseAmount(amount, currency) })),
    ...(c.rateClause !== undefined ? { contractualRate: c.rateClause } : {}),
    ...(c.notice !== undefined ? { noticeDate: c.notice } : {}),
    ...(c.dayCount !== undefined ? { dayCount: c.dayCount } : {}),
    ...(c.waivePenalties !== undefined ? { waivePenalties: c.waivePenalties } : {}),
    ...(c.waiveIndemnity !== undefined ? { waiveIndemnity: c.waiveIndemnity } : {}),
  };
}

export function run(c: Case, rates: RateTable = builtInRates()): PenaltyStatement {
  return computePenalties(input(c), rates);
}

/** Minor units → "123.45" for readable assertions. */
export const major = (m: Money): string => toMajorString(m);

export function catchError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}
