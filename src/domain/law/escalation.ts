import { AppError } from '../../errors.js';
import { fromDecimal, type Money, toDecimal } from '../money/index.js';
import { dec, type LawDecimal } from './decimal.js';

/** R125-1 CPCE: the simplified small-claims procedure covers up to 5 000 € principal + interest. */
export const SMALL_CLAIMS_CAP_EUR = 500_000;

export interface SmallClaimsEligibility {
  eligible: boolean;
  amount: Money;
  cap: Money;
  reference: string;
  note: string;
}

/**
 * Whether the French "procédure simplifiée de recouvrement des petites créances" run by a
 * commissaire de justice is open (L125-1, R125-1 CPCE): principal plus interest, in euros,
 * at most 5 000 €. Art. 750-1 CPC also requires an amicable attempt before suing for such
 * sums, except for an injonction de payer.
 */
export function smallClaimsEligibility(principal: Money, interest: Money): SmallClaimsEligibility {
  if (principal.currency !== 'EUR' || interest.currency !== 'EUR') {
    throw new AppError('VALIDATION', 'currency: the French small-claims procedure is for claims in euros', [
      { field: 'currency', value: principal.currency, reason: 'must be EUR' },
    ]);
  }
  const amount = { amount: principal.amount + interest.amount, currency: 'EUR' };
  const eligible = amount.amount > 0 && amount.amount <= SMALL_CLAIMS_CAP_EUR;
  return {
    eligible,
    amount,
    cap: { amount: SMALL_CLAIMS_CAP_EUR, currency: 'EUR' },
    reference: 'art. L125-1 and R125-1 CPCE (principal and interest up to 5 000 €)',
    note: eligible
      ? 'A commissaire de justice invites the debtor to agree within one month; silence counts as refusal. Costs stay with the creditor. Before suing for 5 000 € or less, art. 750-1 CPC requires an amicable attempt (not for an injonction de payer).'
      : 'Above 5 000 €: injonction de payer or a claim on the merits.',
  };
}

export type CourtKind = 'tribunal_de_commerce' | 'tribunal_judiciaire';

export interface CompetentCourt {
  court: CourtKind;
  label: string;
  /** The Cerfa form of the requête en injonction de payer. */
  injonctionForm: string;
  /** Département from the postal code: the court sits in the debtor's area. */
  department: string;
  rule: string;
  notes: string[];
}

/** Département of a French postal code ("75008" → "75", "20000" → "2A", "97110" → "971"). */
export function departmentOf(postalCode: string): string {
  const pc = postalCode.replace(/\s/g, '');
  if (!/^\d{5}$/.test(pc)) {
    throw new AppError('VALIDATION', `postalCode: "${postalCode}" is not a French postal code`, [
      { field: 'postalCode', value: postalCode, reason: 'expected 5 digits' },
    ]);
  }
  if (pc.startsWith('97') || pc.startsWith('98')) return pc.slice(0, 3);
  if (pc.startsWith('20')) return Number(pc) < 20200 ? '2A' : '2B';
  return pc.slice(0, 2);
}

/**
 * The court for a payment order (injonction de payer): by subject matter, the commercial
 * court when the debtor is a trader and the claim commercial, else the tribunal judiciaire
 * (always for a consumer); territorially, the court of the debtor's domicile (art. 1406 CPC).
 */
export function competentCourt(
  debtor: { isTrader: boolean; postalCode: string },
  claim: Money,
): CompetentCourt {
  const department = departmentOf(debtor.postalCode);
  const notes = [
    'Territorial rule: the court where the debtor (or one of them) lives or has its registered office (art. 1406 CPC); a clause choosing another court is void here.',
  ];
  if (claim.currency === 'EUR' && claim.amount > 5_000_000) {
    notes.push(
      'Above 50 000 €, a claim filed at a tribunal des activités économiques (12 pilot courts, 2025–2028) owes the contribution pour la justice économique (décret 2024-1225).',
    );
  }
  if (debtor.isTrader) {
    return {
      court: 'tribunal_de_commerce',
      label: 'Président du tribunal de commerce (tribunal des activités économiques in the pilot courts)',
      injonctionForm: 'Cerfa n° 12946',
      department,
      rule: 'art. L721-3 C. com.: disputes between traders go to the commercial court; art. 1406 CPC for territory',
      notes,
    };
  }
  return {
    court: 'tribunal_judiciaire',
    label: 'Tribunal judiciaire (juge des contentieux de la protection for consumer credit and leases)',
    injonctionForm: 'Cerfa n° 12948',
    department,
    rule: 'art. L211-3 COJ: civil claims, and any claim against a consumer, go to the tribunal judiciaire; art. 1406 CPC for territory',
    notes,
  };
}

export type EscalationFee =
  | { kind: 'fixed'; label: string; amount: Money }
  | { kind: 'flat_on_success'; label: string; amount: Money }
  | { kind: 'percent_on_success'; label: string; percent: string };

export interface CostBenefit {
  expectedRecovery: Money;
  expectedFees: Money;
  expectedNet: Money;
  worthIt: boolean;
  fees: { label: string; expected: Money }[];
}

/**
 * Expected recovery (claim × probability) against expected fees: fixed fees are paid
 * whatever happens, success fees only with the probability of success.
 */
export function costBenefit(claim: Money, probability: string, fees: EscalationFee[]): CostBenefit {
  const p = dec(probability);
  if (!p.isFinite() || p.lt(0) || p.gt(1)) {
    throw new AppError('VALIDATION', `probability: must be between 0 and 1, got "${probability}"`, [
      { field: 'probability', value: probability, reason: 'between 0 and 1' },
    ]);
  }
  const major = (m: Money): LawDecimal => {
    if (m.currency !== claim.currency) {
      throw new AppError('VALIDATION', `fees: ${m.currency} differs from the claim's ${claim.currency}`, [
        { field: 'fees', value: m.currency, reason: 'currency mismatch' },
      ]);
    }
    return dec(toDecimal(m).toString());
  };
  const recovery = major(claim).times(p);
  const lines = fees.map((f) => {
    const expected =
      f.kind === 'fixed'
        ? major(f.amount)
        : f.kind === 'flat_on_success'
          ? major(f.amount).times(p)
          : recovery.times(dec(f.percent)).div(100);
    return { label: f.label, expected };
  });
  const total = lines.reduce((acc, l) => acc.plus(l.expected), dec(0));
  const m = (d: LawDecimal) => fromDecimal(d.toString(), claim.currency);
  return {
    expectedRecovery: m(recovery),
    expectedFees: m(total),
    expectedNet: m(recovery.minus(total)),
    worthIt: recovery.minus(total).gt(0),
    fees: lines.map((l) => ({ label: l.label, expected: m(l.expected) })),
  };
}
