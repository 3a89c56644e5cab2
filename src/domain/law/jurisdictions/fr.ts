import { addDays, maxDate } from '../../calendar/index.js';
import { money } from '../../money/index.js';
import { dec } from '../decimal.js';
import type { Jurisdiction } from '../types.js';
import { fromDayAfterDue, pct, provisionalWarnings, referencePlus, withContractualFloor } from './common.js';

const L441_10 = 'art. L441-10 II C. com.';

/**
 * France. B2B: L441-10 II C. com. (penalties from the day after the due date without
 * reminder, ECB rate of the 1 January / 1 July + 10 points, a clause may not go below three
 * times the taux légal) and D441-5 (40 € per late invoice). B2C: art. 1231-6 and 1344-1
 * C. civ. (taux légal from the mise en demeure), no flat indemnity, no collection fees
 * (L111-8 CPCE).
 */
export const france: Jurisdiction = {
  code: 'FR',
  name: 'France',
  currency: 'EUR',
  defaultDayCount: 'act/365',

  interestStart(kind, dueDate, noticeDate) {
    if (kind === 'b2b')
      return fromDayAfterDue(
        dueDate,
        `${L441_10}: exigibles le jour suivant la date de règlement, sans rappel`,
      );
    const reference = 'art. 1231-6 and 1344-1 C. civ.: taux légal from the mise en demeure';
    if (!noticeDate) {
      return {
        from: null,
        reference,
        warning: {
          code: 'NO_INTEREST_WITHOUT_NOTICE',
          message:
            'No interest: against a consumer, legal interest runs only from a mise en demeure (art. 1231-6 C. civ.); give its date (--notice-date)',
        },
      };
    }
    // Interest cannot start before the debt is due, even if the notice was sent early.
    const start = maxDate(noticeDate, dueDate);
    return { from: addDays(start, 1), reference };
  },

  rateFor(semester, kind, rates, contractual) {
    if (kind === 'b2c') {
      // The category follows the creditor: a business creditor uses "autres cas" (L313-2 CMF).
      const row = rates.inForce('FR_TIL_OTHER', semester.start, `taux légal ${semester.label}`);
      const statutory = {
        rate: dec(row.rate),
        kind: 'statutory' as const,
        basis: `taux d'intérêt légal (autres cas) ${row.rate} % for ${semester.label} (art. 1231-6 C. civ., L313-2 CMF)`,
        rows: [row],
        warnings: provisionalWarnings([row], semester),
      };
      return withContractualFloor(
        statutory,
        contractual,
        { rate: dec(row.rate), rows: [row], basis: `taux légal ${row.rate} %` },
        semester,
      );
    }
    const statutory = referencePlus(rates, 'ECB_MRO', semester.start, 10, semester, L441_10);
    if (!contractual) return statutory;
    // L441-10 II: a clause may not set a rate below three times the taux légal; a business
    // creditor's category is "autres cas".
    const til = rates.inForce('FR_TIL_OTHER', semester.start, `3 × taux légal floor for ${semester.label}`);
    const floor = dec(til.rate).times(3);
    return withContractualFloor(
      statutory,
      contractual,
      { rate: floor, rows: [til], basis: `3 × taux légal ${til.rate} % = ${pct(floor)} %, ${L441_10}` },
      semester,
    );
  },

  fixedIndemnity(kind) {
    if (kind === 'b2c') return null;
    return { amount: money(4000, 'EUR'), reference: `${L441_10} and D441-5 C. com. (40 € per late invoice)` };
  },

  imputationOrder() {
    return {
      order: ['interest', 'principal', 'costs'],
      reference: 'art. 1343-1 C. civ.: a partial payment goes to interest first',
    };
  },

  collectionFees(kind) {
    return kind === 'b2c'
      ? {
          allowed: false,
          reference: 'art. L111-8 CPCE: collection costs without an enforceable title stay with the creditor',
        }
      : { allowed: true, reference: `${L441_10}: the 40 € indemnity, more on proof of higher costs` };
  },

  limitation(kind) {
    return kind === 'b2c'
      ? {
          years: 2,
          startsFrom: 'performance',
          fromEndOfYear: false,
          capYears: 20,
          reference:
            'art. L218-2 C. consom. (2 years, professional against consumer; Cass. 1re civ. 19 May 2021 n° 20-12.520: from performance)',
          interruptionReference:
            'art. 2240 and 2231 C. civ.: an acknowledgment restarts a period of the same length',
        }
      : {
          years: 5,
          startsFrom: 'performance',
          fromEndOfYear: false,
          capYears: 20,
          reference: 'art. L110-4 C. com. and 2224 C. civ. (5 years between traders)',
          interruptionReference:
            'art. 2240 and 2231 C. civ.: an acknowledgment restarts a period of the same length',
        };
  },

  references(kind) {
    return kind === 'b2c'
      ? [
          'art. 1231-6 C. civ.',
          'art. 1344-1 C. civ.',
          'art. 1343-1 C. civ.',
          'art. L313-2 CMF',
          'art. L111-8 CPCE',
        ]
      : ['art. L441-10 C. com.', 'art. D441-5 C. com.', 'art. 1343-1 C. civ.', 'art. L313-2 CMF'];
  },
};
