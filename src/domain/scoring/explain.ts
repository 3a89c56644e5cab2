/**
 * The customer risk score (0–100), its band, and its top factors in plain words. A factor's
 * weight is how much the "paid late" log-odds move when that feature is replaced by the
 * typical value (the training median): what makes this customer different, in the model's
 * own terms.
 */
import { F, FEATURE_COUNT, FEATURE_NAMES, type FeatureName } from './features.js';
import { lateLogit, predictLate, type RiskModel } from './model.js';

export type RiskBand = 'faible' | 'moyen' | 'eleve' | 'critique';

export const BAND_LABELS: Record<RiskBand, { fr: string; en: string }> = {
  faible: { fr: 'faible', en: 'low' },
  moyen: { fr: 'moyen', en: 'medium' },
  eleve: { fr: 'élevé', en: 'high' },
  critique: { fr: 'critique', en: 'critical' },
};

/** Lower bound of each band on the 0–100 score. */
export const BAND_FLOORS: readonly [RiskBand, number][] = [
  ['critique', 75],
  ['eleve', 50],
  ['moyen', 25],
  ['faible', 0],
];

export function bandOf(score: number): RiskBand {
  for (const [band, floor] of BAND_FLOORS) if (score >= floor) return band;
  return 'faible';
}

export interface RiskFactor {
  feature: FeatureName;
  /** Log-odds this feature adds to "paid late" (positive = riskier). */
  weight: number;
  value: number;
  fr: string;
  en: string;
}

export interface CustomerRisk {
  score: number;
  band: RiskBand;
  pLate: number;
  factors: RiskFactor[];
}

/** Features that describe the customer (month and amount of a hypothetical invoice do not). */
const EXPLAINED: readonly FeatureName[] = [
  'lateShare',
  'meanDaysLate',
  'lastDaysLate',
  'meanDaysLate12m',
  'meanDaysLateLast3',
  'meanDaysLateUndisputed',
  'disputeShare',
  'openCount',
  'priorCount',
  'termsDays',
  'disputed',
  'brokenPromises',
];

const r0 = (v: number) => Math.round(v);
const pct = (v: number) => Math.round(v * 100);

function when(days: number, fr: boolean): string {
  const d = r0(Math.abs(days));
  if (d === 0) return fr ? "à l'échéance" : 'on the due date';
  if (days > 0) return fr ? `${d} j après l'échéance` : `${d} days after the due date`;
  return fr ? `${d} j avant l'échéance` : `${d} days before the due date`;
}

export function factorText(feature: FeatureName, v: number): { fr: string; en: string } {
  switch (feature) {
    case 'lateShare':
      return { fr: `${pct(v)} % des factures payées en retard`, en: `${pct(v)}% of invoices paid late` };
    case 'meanDaysLate':
      return { fr: `paie en moyenne ${when(v, true)}`, en: `pays on average ${when(v, false)}` };
    case 'meanDaysLate12m':
      return {
        fr: `paie en moyenne ${when(v, true)} sur les 12 derniers mois`,
        en: `pays on average ${when(v, false)} over the last 12 months`,
      };
    case 'lastDaysLate':
      return { fr: `dernière facture réglée ${when(v, true)}`, en: `last invoice paid ${when(v, false)}` };
    case 'meanDaysLateLast3':
      return {
        fr: `3 dernières factures réglées en moyenne ${when(v, true)}`,
        en: `last 3 invoices paid on average ${when(v, false)}`,
      };
    case 'meanDaysLateUndisputed':
      return {
        fr: `hors litiges, paie en moyenne ${when(v, true)}`,
        en: `without disputes, pays on average ${when(v, false)}`,
      };
    case 'disputeShare':
      return {
        fr: `${pct(v)} % des factures réglées ont été contestées`,
        en: `${pct(v)}% of paid invoices were disputed`,
      };
    case 'openCount':
      return { fr: `${r0(v)} facture(s) ouverte(s)`, en: `${r0(v)} open invoice(s)` };
    case 'priorCount':
      return v < 5
        ? {
            fr: `peu d'historique (${r0(v)} facture(s) réglée(s))`,
            en: `little history (${r0(v)} paid invoice(s))`,
          }
        : { fr: `${r0(v)} factures réglées connues`, en: `${r0(v)} paid invoices on record` };
    case 'termsDays':
      return { fr: `délai de paiement de ${r0(v)} j`, en: `${r0(v)}-day payment terms` };
    case 'disputed':
      return v > 0
        ? { fr: 'litige ouvert', en: 'open dispute' }
        : { fr: 'aucun litige ouvert', en: 'no open dispute' };
    case 'brokenPromises':
      return { fr: `${r0(v)} promesse(s) non tenue(s)`, en: `${r0(v)} broken promise(s)` };
    case 'logAmount':
      return { fr: `montant de ${r0(10 ** v - 1)}`, en: `amount of ${r0(10 ** v - 1)}` };
    case 'amountRatio':
      return {
        fr: `montant ${v.toFixed(1)} × la moyenne du client`,
        en: `amount ${v.toFixed(1)} × the customer's average`,
      };
    case 'month':
      return { fr: `saisonnalité (mois ${r0(v)})`, en: `seasonality (month ${r0(v)})` };
  }
}

/** Score, band and up to `top` factors of one feature row (a hypothetical invoice as of today). */
export function explainCustomer(model: RiskModel, row: ArrayLike<number>, offset = 0, top = 3): CustomerRisk {
  const own = Float64Array.from({ length: FEATURE_COUNT }, (_, f) => row[offset + f] as number);
  const pLate = predictLate(model, own);
  const base = lateLogit(model, own);
  const factors: RiskFactor[] = [];
  const probe = Float64Array.from(own);
  for (const name of EXPLAINED) {
    const f = F[name];
    const ref = model.reference[f] ?? 0;
    if (probe[f] === ref) continue;
    probe[f] = ref;
    const weight = base - lateLogit(model, probe);
    probe[f] = own[f] as number;
    if (Math.abs(weight) < 0.05) continue;
    factors.push({ feature: name, weight, value: own[f] as number, ...factorText(name, own[f] as number) });
  }
  // The riskiest reasons first; a low-risk customer shows what reassures instead.
  const risky = factors.filter((x) => x.weight > 0).sort((a, b) => b.weight - a.weight);
  const shown = risky.length > 0 ? risky : factors.sort((a, b) => a.weight - b.weight);
  const score = Math.round(pLate * 100);
  return { score, band: bandOf(score), pLate, factors: shown.slice(0, top) };
}

export { FEATURE_NAMES };
