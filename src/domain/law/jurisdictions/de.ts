import { money } from '../../money/index.js';
import type { Jurisdiction } from '../types.js';
import { fromDayAfterDue, referencePlus, withContractualFloor } from './common.js';

/**
 * Germany: §288 BGB (Basiszinssatz + 9 points B2B, + 5 when a consumer is the debtor;
 * 40 € Pauschale against non-consumers, §288(5)); §247 BGB (base rate reset on 1 January and
 * 1 July); §367 BGB (costs, then interest, then principal); §§195, 199, 212 BGB limitation.
 */
export const germany: Jurisdiction = {
  code: 'DE',
  name: 'Germany',
  currency: 'EUR',
  defaultDayCount: 'act/365',

  interestStart(_kind, dueDate) {
    // §286(2) Nr. 1 BGB: a due date fixed by the calendar puts the debtor in default without
    // a Mahnung. Without an agreed date, §286(3) (30 days after the invoice) applies: pass
    // that date as the due date.
    return fromDayAfterDue(
      dueDate,
      '§286(2) Nr. 1 and §288 BGB: Verzugszinsen from the day after the calendar due date',
    );
  },

  rateFor(semester, kind, rates, contractual) {
    const margin = kind === 'b2b' ? 9 : 5;
    const ref = kind === 'b2b' ? '§288(2) BGB' : '§288(1) BGB';
    const statutory = referencePlus(rates, 'DE_BASISZINS', semester.start, margin, semester, ref);
    // §288(3)-(4): a higher contractual rate may be claimed; never less than the statute.
    return withContractualFloor(
      statutory,
      contractual,
      { rate: statutory.rate, rows: statutory.rows, basis: `statutory ${statutory.basis}` },
      semester,
    );
  },

  fixedIndemnity(kind) {
    if (kind === 'b2c') return null;
    return { amount: money(4000, 'EUR'), reference: '§288(5) BGB (40 € Pauschale, debtor not a consumer)' };
  },

  imputationOrder() {
    return {
      order: ['costs', 'interest', 'principal'],
      reference: '§367(1) BGB: costs, then interest, then principal',
    };
  },

  collectionFees(kind) {
    return kind === 'b2c'
      ? {
          allowed: true,
          reference: '§288(4) BGB: further damage (Verzugsschaden) on proof; no Pauschale against consumers',
        }
      : {
          allowed: true,
          reference: '§288(5) BGB: 40 € Pauschale, credited against external collection costs',
        };
  },

  limitation() {
    return {
      years: 3,
      startsFrom: 'due',
      fromEndOfYear: true,
      reference: '§195 and §199(1) BGB (3 years from the end of the year the claim arose)',
      interruptionReference:
        '§212(1) Nr. 1 BGB: an acknowledgment (part payment, interest payment) restarts the period',
    };
  },

  references(kind) {
    return kind === 'b2b'
      ? ['§286 BGB', '§288(2) BGB', '§288(5) BGB', '§247 BGB', '§367 BGB']
      : ['§286 BGB', '§288(1) BGB', '§247 BGB', '§367 BGB'];
  },
};
