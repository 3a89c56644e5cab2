import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import {
  type CompetentCourt,
  type CostBenefit,
  competentCourt,
  costBenefit,
  type EscalationFee,
  type SmallClaimsEligibility,
  smallClaimsEligibility,
} from '../../domain/law/escalation.js';
import type { Money } from '../../domain/money/index.js';
import { AppError } from '../../errors.js';
import { type ClaimOptions, type CustomerClaim, loadCustomerClaim } from './customer-claim.js';
import { defaultInjonctionFees, escalationSettingsOf, toEscalationFees } from './escalation-settings.js';

export interface EscalationRoute {
  key: 'injonction_de_payer' | 'agency';
  label: string;
  fees: EscalationFee[];
  result: CostBenefit;
}

export interface EscalationEstimate {
  date: string;
  currency: string;
  claim: { principal: Money; interest: Money; indemnity: Money; total: Money };
  court: CompetentCourt | null;
  /** Why no court could be named (foreign debtor, no French postal code). */
  courtUnavailable: string | null;
  smallClaims: SmallClaimsEligibility | null;
  smallClaimsUnavailable: string | null;
  recoveryProbability: string;
  settingsSource: 'defaults' | 'organisation';
  routes: EscalationRoute[];
}

const reasonOf = (e: unknown) => (e instanceof AppError ? e.message : String(e));

/**
 * Where and how the claim could go next: the competent court for a payment order (art. 1406
 * CPC), whether the small-claims procedure is open (≤ 5 000 €), and for each route the
 * expected recovery (claim × probability) against its expected fees, the fees and the
 * probability taken from the organisation's settings or the documented defaults.
 */
export function estimateEscalation(claim: CustomerClaim): EscalationEstimate {
  const { customer, notice, currency } = claim;
  const totals = notice.totals;
  let court: CompetentCourt | null = null;
  let courtUnavailable: string | null = null;
  const country = customer.country.trim().toUpperCase();
  if (country !== 'FR') {
    courtUnavailable = `the debtor is in ${country}: a French payment order is not the route (consider the European order for payment, Regulation (EC) 1896/2006)`;
  } else {
    try {
      court = competentCourt(
        { isTrader: customer.kind === 'b2b', postalCode: customer.postal_code ?? '' },
        totals.total,
      );
    } catch (e) {
      courtUnavailable = reasonOf(e);
    }
  }
  let smallClaims: SmallClaimsEligibility | null = null;
  let smallClaimsUnavailable: string | null = null;
  try {
    smallClaims = smallClaimsEligibility(totals.principal, totals.interest);
  } catch (e) {
    smallClaimsUnavailable = reasonOf(e);
  }
  const settings = escalationSettingsOf(claim.org.settings);
  const injonctionFees = toEscalationFees(
    settings.injonctionFees ?? defaultInjonctionFees(court?.court ?? null),
    currency,
  );
  const agencyFees = toEscalationFees(settings.agencyFees, currency);
  const p = settings.recoveryProbability;
  return {
    date: claim.date,
    currency,
    claim: totals,
    court,
    courtUnavailable,
    smallClaims,
    smallClaimsUnavailable,
    recoveryProbability: p,
    settingsSource: settings.source,
    routes: [
      {
        key: 'injonction_de_payer',
        label: 'Injonction de payer (art. 1405 et suivants CPC)',
        fees: injonctionFees,
        result: costBenefit(totals.total, p, injonctionFees),
      },
      {
        key: 'agency',
        label: 'Agence de recouvrement amiable',
        fees: agencyFees,
        result: costBenefit(totals.total, p, agencyFees),
      },
    ],
  };
}

/** The estimate of one customer's claim on `date`. */
export async function getEscalationEstimate(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  opts: ClaimOptions,
): Promise<EscalationEstimate> {
  return estimateEscalation(await loadCustomerClaim(db, orgId, customerId, opts));
}
