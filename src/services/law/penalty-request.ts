import type { PenaltyInput } from '../../domain/law/types.js';
import { isCurrency, type Money, MoneyParseError, parseAmount } from '../../domain/money/index.js';
import { AppError } from '../../errors.js';

/** The calculator's request as the API receives it: amounts as human decimal strings. */
export interface PenaltyRequest {
  jurisdiction: string;
  kind: string;
  amount: string;
  currency?: string | undefined;
  dueDate: string;
  until?: string | undefined;
  payments: { date: string; amount: string }[];
  contractualRate?: string | undefined;
  noticeDate?: string | undefined;
  dayCount?: string | undefined;
  waivePenalties?: boolean | undefined;
  waiveIndemnity?: boolean | undefined;
}

function amountOf(text: string, currency: string, field: string): Money {
  try {
    return parseAmount(text, currency);
  } catch (e) {
    if (e instanceof MoneyParseError) {
      throw new AppError('VALIDATION', `${field}: ${e.message}`, [{ field, value: text, reason: e.message }]);
    }
    throw e;
  }
}

/**
 * The engine's input from an API request, with the conventions of `relance penalties`:
 * currency EUR by default (GBP for GB/UK), `until` today by default. Every parse error
 * names its field; the engine then checks dates, kind, rates and day count the same way.
 */
export function penaltyInputFromRequest(r: PenaltyRequest, today: string): PenaltyInput {
  const jurisdiction = r.jurisdiction.toUpperCase();
  const currency = (
    r.currency ?? (jurisdiction === 'GB' || jurisdiction === 'UK' ? 'GBP' : 'EUR')
  ).toUpperCase();
  if (!isCurrency(currency)) {
    throw new AppError('VALIDATION', `currency: unknown currency "${r.currency}"`, [
      { field: 'currency', value: currency, reason: 'unknown currency' },
    ]);
  }
  return {
    jurisdiction,
    kind: r.kind,
    principal: amountOf(r.amount, currency, 'amount'),
    dueDate: r.dueDate,
    until: r.until ?? today,
    payments: r.payments.map((p, i) => ({
      date: p.date,
      amount: amountOf(p.amount, currency, `payments[${i}].amount`),
    })),
    ...(r.contractualRate !== undefined ? { contractualRate: r.contractualRate } : {}),
    ...(r.noticeDate !== undefined ? { noticeDate: r.noticeDate } : {}),
    ...(r.dayCount !== undefined ? { dayCount: r.dayCount } : {}),
    waivePenalties: r.waivePenalties === true,
    waiveIndemnity: r.waiveIndemnity === true,
  };
}
