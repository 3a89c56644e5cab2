import { money } from '../../money/index.js';
import { dec } from '../decimal.js';
import type { Jurisdiction } from '../types.js';
import { dayBefore, fromDayAfterDue, referencePlus, withContractualFloor } from './common.js';

const ACT = 'Late Payment of Commercial Debts (Interest) Act 1998';

/**
 * United Kingdom (England & Wales): the 1998 Act gives business creditors simple interest at
 * the Bank of England base rate on 31 December / 30 June + 8 %, and fixed sums of £40, £70
 * or £100 by debt size (s.5A). Consumer debts are outside the Act. Limitation Act 1980 s.5.
 */
export const unitedKingdom: Jurisdiction = {
  code: 'GB',
  name: 'United Kingdom',
  currency: 'GBP',
  defaultDayCount: 'act/365',

  interestStart(kind, dueDate) {
    if (kind === 'b2c') {
      return {
        from: null,
        reference: `${ACT}, s.2: business-to-business contracts only`,
        warning: {
          code: 'NOT_APPLICABLE',
          message: `No statutory interest: the ${ACT} applies only between businesses`,
        },
      };
    }
    return fromDayAfterDue(dueDate, `${ACT}, s.4: from the day after the agreed payment date`);
  },

  rateFor(semester, _kind, rates, contractual) {
    const statutory = referencePlus(
      rates,
      'BOE_BASE',
      dayBefore(semester),
      8,
      semester,
      `${ACT}, Late Payment of Commercial Debts (Rate of Interest) (No. 3) Order 2002`,
    );
    // s.8-9: a contractual remedy ousts the Act only if it is "substantial"; a lower rate is
    // treated here as not substantial, so the statutory rate applies.
    return withContractualFloor(
      statutory,
      contractual,
      { rate: dec(statutory.rate), rows: statutory.rows, basis: `statutory ${statutory.basis}` },
      semester,
    );
  },

  fixedIndemnity(kind, principal) {
    if (kind === 'b2c') return null;
    // s.5A: the bands are strict (< £1,000, < £10,000, ≥ £10,000), on the debt's amount.
    const pounds = principal.amount;
    const amount = pounds < 100_000 ? 4000 : pounds < 1_000_000 ? 7000 : 10000;
    return {
      amount: money(amount, 'GBP'),
      reference: `${ACT}, s.5A (fixed sum £40 / £70 / £100 by debt size)`,
    };
  },

  imputationOrder() {
    // No statutory order: absent the debtor's appropriation, the creditor appropriates;
    // interest first mirrors the Act's treatment of the fixed sum and interest as part of the debt.
    return {
      order: ['interest', 'principal', 'costs'],
      reference: 'creditor appropriation (no statutory order; common law)',
    };
  },

  collectionFees(kind) {
    return kind === 'b2c'
      ? { allowed: false, reference: `${ACT} does not apply to consumers` }
      : { allowed: true, reference: `${ACT}, s.5A(2A): reasonable recovery costs beyond the fixed sum` };
  },

  limitation() {
    return {
      years: 6,
      startsFrom: 'due',
      fromEndOfYear: false,
      reference: 'Limitation Act 1980, s.5 (6 years from the date the cause of action accrued)',
      interruptionReference:
        'Limitation Act 1980, s.29(5) and s.30: a signed written acknowledgment or a part payment restarts the period',
    };
  },

  references(kind) {
    return kind === 'b2b' ? [ACT, 'Limitation Act 1980, s.5'] : ['Limitation Act 1980, s.5'];
  },
};
