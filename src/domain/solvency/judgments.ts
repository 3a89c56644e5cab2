import { addMonths, compareDates, type IsoDate, nextWorkingDay } from '../calendar/index.js';

/**
 * What a BODACC "procédures collectives" notice means for a creditor. The kinds follow the
 * judgments of Book VI of the Code de commerce; `classifyJudgment` reads the DILA
 * `jugement.famille` and `jugement.nature` labels (the same words in the DILA export and
 * in the re-export kept in ../shared/data/bodacc).
 */
export type JudgmentKind =
  | 'opening_sauvegarde' // L620-1, L622-21 (stay of individual actions)
  | 'opening_redressement' // L631-1, L631-14 applies L622-21
  | 'opening_liquidation' // L640-1, L641-3 applies L622-21
  | 'conversion_redressement' // sauvegarde converted to RJ (L622-10)
  | 'conversion_liquidation' // converted to LJ (L631-15 II, L622-10), or plan resolved into LJ (L626-27)
  | 'plan' // plan de sauvegarde / redressement / cession adopted or changed (L626-1, L631-19, L642-1)
  | 'closure_insufficient_assets' // clôture pour insuffisance d'actif (L643-9)
  | 'closure_debts_paid' // clôture pour extinction du passif (L643-9)
  | 'end_of_procedure' // other end (e.g. "mettant fin à la procédure")
  | 'claims_list' // avis de dépôt de l'état des créances (R624-8)
  | 'other';

export const OPENING_KINDS: ReadonlySet<JudgmentKind> = new Set([
  'opening_sauvegarde',
  'opening_redressement',
  'opening_liquidation',
]);

/** Judgments after which a collector must stop pursuing claims born before the opening. */
export const STAYING_KINDS: ReadonlySet<JudgmentKind> = new Set([
  ...OPENING_KINDS,
  'conversion_redressement',
  'conversion_liquidation',
]);

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export function classifyJudgment(famille: string, nature: string): JudgmentKind {
  const f = norm(famille);
  const n = norm(nature);
  if (f.includes('avis de depot')) return 'claims_list';
  if (n.includes('cloture')) {
    if (n.includes('insuffisance')) return 'closure_insufficient_assets';
    if (n.includes('extinction')) return 'closure_debts_paid';
    return 'end_of_procedure';
  }
  if (n.includes('conversion') || (n.includes('resolution') && n.includes('liquidation'))) {
    return n.includes('liquidation') ? 'conversion_liquidation' : 'conversion_redressement';
  }
  if (f.includes('ouverture') || n.includes("jugement d'ouverture")) {
    if (n.includes('sauvegarde')) return 'opening_sauvegarde';
    if (n.includes('redressement')) return 'opening_redressement';
    if (n.includes('liquidation')) return 'opening_liquidation';
    return 'other';
  }
  if (n.includes('plan')) return 'plan';
  if (n.includes('mettant fin')) return 'end_of_procedure';
  return 'other';
}

/** French label for the UI and the PDF. */
export const JUDGMENT_LABEL_FR: Record<JudgmentKind, string> = {
  opening_sauvegarde: 'Ouverture d’une procédure de sauvegarde',
  opening_redressement: 'Ouverture d’un redressement judiciaire',
  opening_liquidation: 'Ouverture d’une liquidation judiciaire',
  conversion_redressement: 'Conversion en redressement judiciaire',
  conversion_liquidation: 'Conversion en liquidation judiciaire',
  plan: 'Plan (sauvegarde, redressement ou cession)',
  closure_insufficient_assets: 'Clôture pour insuffisance d’actif',
  closure_debts_paid: 'Clôture pour extinction du passif',
  end_of_procedure: 'Fin de procédure',
  claims_list: 'Dépôt de l’état des créances',
  other: 'Autre jugement',
};

/**
 * The creditor is "outside metropolitan France" for R622-24 when its address is abroad or
 * in an overseas département/collectivité (postal codes 97x/98x).
 */
export function creditorOutsideMetropolitanFrance(
  country: string | null,
  postalCode: string | null,
): boolean {
  if (country && country.toUpperCase() !== 'FR') return true;
  return !!postalCode && /^9[78]/.test(postalCode.trim());
}

const overseasTerritory = (postalCode: string | null): string | null => {
  const pc = postalCode?.trim() ?? '';
  return /^9[78]\d/.test(pc) ? pc.slice(0, 3) : null;
};

/**
 * R622-24 al. 2 and 3: the two months are increased by two months for a creditor who does
 * not live on the territory of the court that opened the proceeding: metropolitan France
 * for a metropolitan court; the département or collectivité for an overseas court. The
 * court's territory is taken from the debtor's postal code in the notice (`cp`), since the
 * competent court is the one of the debtor's registered office (R600-1).
 */
export function declarationPeriodExtended(
  creditor: { country: string | null; postalCode: string | null },
  debtorPostalCode: string | null,
): boolean {
  const court = overseasTerritory(debtorPostalCode);
  if (court === null) return creditorOutsideMetropolitanFrance(creditor.country, creditor.postalCode);
  if (creditor.country && creditor.country.toUpperCase() !== 'FR') return true;
  return overseasTerritory(creditor.postalCode) !== court;
}

/**
 * Last day to declare a claim (R622-24 C. com.): two months from the publication of the
 * opening judgment in the BODACC, increased by two months for creditors who do not live on
 * the court's territory (see declarationPeriodExtended). A month deadline ends on the same-numbered day (CPC 641, clamped to
 * the month's end) and a deadline falling on a Saturday, Sunday or holiday moves to the next
 * working day (CPC 642).
 */
export function declarationDeadline(publicationDate: IsoDate, extended: boolean): IsoDate {
  return nextWorkingDay(addMonths(publicationDate, extended ? 4 : 2));
}

/**
 * Last day to claim goods sold under reservation of title (L624-9 C. com.): three months
 * from the publication of the opening judgment (R624-13 sends the claim to the
 * administrator or the mandataire first).
 */
export function reservationOfTitleDeadline(publicationDate: IsoDate): IsoDate {
  return nextWorkingDay(addMonths(publicationDate, 3));
}

/**
 * A claim is born before the opening judgment when its cause (the delivery or the service,
 * here the invoice's issue date) precedes the judgment day. The judgment takes effect from
 * the first hour of the day it is pronounced (Cass. com. constant case law), so an invoice
 * issued on the judgment day is treated as born after it: such claims are L622-17 claims,
 * collectible as usual if they arise for the needs of the procedure or the activity.
 */
export function bornBeforeJudgment(issueDate: IsoDate, judgmentDate: IsoDate): boolean {
  return compareDates(issueDate, judgmentDate) < 0;
}

/** At the judgment date a pre-judgment claim is "échue" (due before) or "à échoir" (L622-25, R622-23). */
export function dueStatusAt(dueDate: IsoDate, judgmentDate: IsoDate): 'echu' | 'a_echoir' {
  return compareDates(dueDate, judgmentDate) < 0 ? 'echu' : 'a_echoir';
}

/**
 * The mandataire or liquidator named in the notice's `complementJugement` text ("désignant
 * liquidateur Selarl X 3, avenue … 25000 Besançon. Les créances …"). Best effort: the text
 * is free-form; null when no designation is found, and the declaration then says so.
 */
export function extractMandataire(complement: string | null | undefined): string | null {
  if (!complement) return null;
  const re =
    /(?:d[ée]signant(?: en qualit[ée] de)?|mandataire judiciaire\s*:|liquidateurs? judiciaires?\s*:)\s*(?:(?:mandataire judiciaire|liquidateur(?: judiciaire)?)\s*:?\s*)?(.+?)(?:\.\s+[A-Z]|\.$|,\s*(?:met fin|d[ée]signant|et|administrateur)\b|$)/i;
  const m = complement.match(re);
  const who = m?.[1]?.trim().replace(/\s+/g, ' ');
  return who && who.length >= 5 ? who.slice(0, 300) : null;
}
