import { money } from '../../money/index.js';
import type { Jurisdiction } from '../types.js';
import { fromDayAfterDue, referencePlus, withContractualFloor } from './common.js';

const DIRECTIVE = 'Directive 2011/7/EU';

/**
 * The Late Payment Directive's minimum, for a member state without its own module: ECB
 * reference rate of 1 January / 1 July + 8 points (art. 2(6), 2(12)), 40 € per late payment
 * (art. 6). B2C is outside the directive; limitation periods are national (none here).
 */
export const europeanUnion: Jurisdiction = {
  code: 'EU',
  name: 'European Union (Directive 2011/7/EU minimum)',
  currency: 'EUR',
  defaultDayCount: 'act/365',

  interestStart(kind, dueDate) {
    if (kind === 'b2c') {
      return {
        from: null,
        reference: `${DIRECTIVE}, art. 1(2): commercial transactions only`,
        warning: {
          code: 'NOT_APPLICABLE',
          message: `No statutory interest: ${DIRECTIVE} covers commercial transactions only; use a national jurisdiction`,
        },
      };
    }
    return fromDayAfterDue(
      dueDate,
      `${DIRECTIVE}, art. 3(1): from the day after the due date, without reminder`,
    );
  },

  rateFor(semester, _kind, rates, contractual) {
    const statutory = referencePlus(rates, 'ECB_MRO', semester.start, 8, semester, `${DIRECTIVE}, art. 2(6)`);
    return withContractualFloor(
      statutory,
      contractual,
      { rate: statutory.rate, rows: statutory.rows, basis: `statutory ${statutory.basis}` },
      semester,
    );
  },

  fixedIndemnity(kind) {
    if (kind === 'b2c') return null;
    return { amount: money(4000, 'EUR'), reference: `${DIRECTIVE}, art. 6 (40 € minimum per late payment)` };
  },

  imputationOrder() {
    return {
      order: ['interest', 'principal', 'costs'],
      reference: 'no harmonised order; interest first (common civil-law rule)',
    };
  },

  collectionFees(kind) {
    return kind === 'b2c'
      ? { allowed: false, reference: `${DIRECTIVE} does not cover consumers` }
      : { allowed: true, reference: `${DIRECTIVE}, art. 6(3): reasonable recovery costs beyond 40 €` };
  },

  limitation() {
    return null;
  },

  references(kind) {
    return kind === 'b2b' ? [`${DIRECTIVE}, art. 3`, `${DIRECTIVE}, art. 6`] : [];
  },
};
