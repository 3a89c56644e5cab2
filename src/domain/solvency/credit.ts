import { daysBetween, type IsoDate } from '../calendar/index.js';

/**
 * Credit limits, exposure and the suggested limit for a customer (issue 20). Pure: the
 * caller gathers the identity, the proceedings and the payment history. Every number
 * comes with the reasons that made it, in French for the UI.
 */
export type CreditAlert = 'none' | 'warning' | 'over_limit';

export interface CreditPosition {
  limitMinor: number | null;
  openBalanceMinor: number;
  pendingOrdersMinor: number;
  exposureMinor: number;
  /** Exposure / limit in whole percent, rounded down; null without a limit. */
  usedPercent: number | null;
  alert: CreditAlert;
  /** Above the limit a credit hold is proposed, never set automatically. */
  holdProposed: boolean;
}

/** Alerts at 80 % and 100 % of the limit; integer arithmetic on minor units (no floats). */
export function creditPosition(input: {
  limitMinor: number | null;
  openBalanceMinor: number;
  pendingOrdersMinor: number;
}): CreditPosition {
  const exposure = Math.max(0, input.openBalanceMinor) + Math.max(0, input.pendingOrdersMinor);
  const limit = input.limitMinor;
  let alert: CreditAlert = 'none';
  let used: number | null = null;
  if (limit !== null) {
    if (limit === 0) {
      used = exposure > 0 ? 100 : 0;
      alert = exposure > 0 ? 'over_limit' : 'none';
    } else {
      used = Math.floor((exposure * 100) / limit);
      if (exposure * 100 > limit * 100) alert = 'over_limit';
      else if (exposure * 100 >= limit * 80) alert = 'warning';
    }
  }
  return {
    limitMinor: limit,
    openBalanceMinor: input.openBalanceMinor,
    pendingOrdersMinor: input.pendingOrdersMinor,
    exposureMinor: exposure,
    usedPercent: used,
    alert,
    holdProposed: alert === 'over_limit',
  };
}

export interface CreditFactsIdentity {
  status: 'A' | 'C';
  creationDate: IsoDate | null;
  headcountBand: string | null;
  companyCategory: string | null;
}

export interface CreditFacts {
  today: IsoDate;
  identity: CreditFactsIdentity | null;
  /** A staying judgment (opening, conversion) not followed by a closure or a plan. */
  openProceeding: { label: string; judgmentDate: IsoDate } | null;
  /** A plan adopted (sauvegarde / redressement): the company trades under court supervision. */
  inPlan: boolean;
  history: { invoicesPaid: number; averageDaysLate: number | null; overdueMinor: number } | null;
}

export type CreditTerms = 'refuse' | 'prepayment' | 'net_15' | 'net_30' | 'net_45';

export interface CreditReason {
  code: string;
  text: string;
}

export interface CreditSuggestion {
  limitMinor: number;
  terms: CreditTerms;
  /** 0 (no risk seen) to 100 (do not extend credit). */
  riskScore: number;
  reasons: CreditReason[];
}

/** Base limit by size: INSEE headcount band, or the company category (PME/ETI/GE). */
const BAND_BASE: [number, number][] = [
  // [min headcount, base limit in euros]
  [250, 200_000],
  [50, 75_000],
  [10, 25_000],
  [1, 10_000],
  [0, 5_000],
];
const BAND_MIN: Record<string, number> = {
  NN: 0,
  '00': 0,
  '01': 1,
  '02': 3,
  '03': 6,
  '11': 10,
  '12': 20,
  '21': 50,
  '22': 100,
  '31': 200,
  '32': 250,
  '41': 500,
  '42': 1000,
  '51': 2000,
  '52': 5000,
  '53': 10000,
};

const euros = (n: number) => `${n.toLocaleString('fr-FR').replace(/\u202f|\u00a0/g, ' ')} €`;

/**
 * The suggested limit and terms. Order of the rules: what forbids credit first (ceased,
 * insolvency proceeding), then what calls for prepayment (company younger than a year),
 * then the size of the company sets a base that the payment history scales.
 */
export function suggestCredit(f: CreditFacts, currencyExponent = 2): CreditSuggestion {
  const reasons: CreditReason[] = [];
  const minor = (eur: number) => eur * 10 ** currencyExponent;
  if (f.identity?.status === 'C') {
    reasons.push({ code: 'ceased', text: 'Entreprise cessée au répertoire SIRENE : aucun crédit.' });
    return { limitMinor: 0, terms: 'refuse', riskScore: 100, reasons };
  }
  if (f.openProceeding) {
    reasons.push({
      code: 'proceeding',
      text: `Procédure collective en cours (${f.openProceeding.label}, jugement du ${f.openProceeding.judgmentDate}) : paiement comptant ou d’avance uniquement ; les créances nées après le jugement sont payables à l’échéance (art. L622-17).`,
    });
    return { limitMinor: 0, terms: 'prepayment', riskScore: 95, reasons };
  }
  let risk = 30;
  if (!f.identity) {
    reasons.push({
      code: 'unknown',
      text: 'Entreprise introuvable dans les données SIRENE importées : vérifiez le SIREN.',
    });
    risk += 30;
  }
  const ageDays = f.identity?.creationDate ? daysBetween(f.identity.creationDate, f.today) : null;
  let base = 5_000;
  const bandMin = f.identity?.headcountBand ? BAND_MIN[f.identity.headcountBand] : undefined;
  const cat = f.identity?.companyCategory;
  if (cat === 'GE') {
    base = 500_000;
    reasons.push({ code: 'size', text: `Grande entreprise : base de ${euros(base)}.` });
    risk -= 15;
  } else if (cat === 'ETI') {
    base = 200_000;
    reasons.push({ code: 'size', text: `Entreprise de taille intermédiaire : base de ${euros(base)}.` });
    risk -= 10;
  } else if (bandMin !== undefined) {
    base = (BAND_BASE.find(([min]) => bandMin >= min) ?? [0, 5_000])[1];
    reasons.push({
      code: 'size',
      text: `Effectif : tranche INSEE ${f.identity?.headcountBand} → base de ${euros(base)}.`,
    });
  } else if (f.identity) {
    reasons.push({ code: 'size', text: `Effectif non renseigné : base prudente de ${euros(base)}.` });
  }
  let factor = 1;
  const h = f.history;
  if (h && h.invoicesPaid > 0 && h.averageDaysLate !== null) {
    if (h.averageDaysLate > 30) {
      factor = 0.5;
      risk += 25;
      reasons.push({
        code: 'late_payer',
        text: `Retard moyen de ${Math.round(h.averageDaysLate)} jours sur ${h.invoicesPaid} factures payées : limite divisée par deux.`,
      });
    } else if (h.averageDaysLate > 15) {
      factor = 0.75;
      risk += 10;
      reasons.push({
        code: 'late_payer',
        text: `Retard moyen de ${Math.round(h.averageDaysLate)} jours : limite réduite d’un quart.`,
      });
    } else if (h.averageDaysLate <= 5 && h.invoicesPaid >= 5) {
      factor = 1.25;
      risk -= 10;
      reasons.push({
        code: 'good_payer',
        text: `Paie à l’heure (retard moyen ${Math.round(h.averageDaysLate)} j sur ${h.invoicesPaid} factures) : limite augmentée d’un quart.`,
      });
    } else {
      reasons.push({
        code: 'history',
        text: `Historique : ${h.invoicesPaid} factures payées, retard moyen ${Math.round(h.averageDaysLate)} jours.`,
      });
    }
  } else {
    reasons.push({ code: 'no_history', text: 'Pas d’historique de paiement chez vous.' });
  }
  if (h && h.overdueMinor > 0) {
    risk += 10;
    reasons.push({ code: 'overdue', text: 'Des factures sont actuellement échues et impayées.' });
  }
  if (f.inPlan) {
    factor = Math.min(factor, 0.5);
    risk += 20;
    reasons.push({
      code: 'plan',
      text: 'Entreprise sous plan de sauvegarde ou de redressement : limite divisée par deux.',
    });
  }
  let terms: CreditTerms = risk >= 60 ? 'net_15' : risk >= 40 ? 'net_30' : 'net_45';
  if (ageDays !== null && ageDays < 365) {
    risk += 25;
    terms = 'prepayment';
    reasons.push({
      code: 'young',
      text: `Entreprise créée il y a moins d’un an (${f.identity?.creationDate}) : paiement d’avance conseillé.`,
    });
    factor = Math.min(factor, 0.5);
  }
  // Round down to the thousand: a limit is a decision, not a computation result.
  const limitEuros = Math.floor((base * factor) / 1000) * 1000;
  return { limitMinor: minor(limitEuros), terms, riskScore: Math.max(0, Math.min(100, risk)), reasons };
}
