import { type Lang, useI18n } from '../i18n';

const fr = {
  rulesTitle: 'Règles de sélection',
  rulesIntro:
    "Dans l'ordre : la première règle qui correspond au client choisit sa politique ; une politique forcée sur un client passe avant. Un critère laissé vide correspond à tous.",
  rule: 'Règle',
  label: 'Libellé',
  target: 'Politique appliquée',
  segments: 'Segment',
  seg_strategic: 'Stratégique',
  seg_standard: 'Standard',
  kinds: 'Type de client',
  kind_b2b: 'Entreprise',
  kind_b2c: 'Particulier',
  minExposure: 'Encours min. (€)',
  maxExposure: 'Encours max. (€)',
  minRisk: 'Score de risque min.',
  maxRisk: 'Score de risque max.',
  up: 'Monter',
  down: 'Descendre',
  remove: 'Supprimer',
  add: 'Ajouter une règle',
  saveRules: 'Enregistrer les règles',
  rulesSaved: 'Règles enregistrées',
  badAmount: 'Montant attendu, ex. 1500 ou 1500,50',
  badScore: 'Entier de 0 à 100',
  noRules: 'Aucune règle : seuls les clients avec une politique forcée sont relancés.',
  // Customer file
  inForce: 'Politique de relance',
  byRule: 'par la règle',
  byOverride: 'forcée pour ce client',
  noneMatches: 'aucune règle ne correspond : client non relancé',
  followRules: 'Suivre les règles',
  force: 'Forcer la politique',
  apply: 'Appliquer',
  exposure: 'encours pris en compte',
};

type Dict = typeof fr;

const en: Dict = {
  rulesTitle: 'Selection rules',
  rulesIntro:
    "In order: the first rule that matches the customer chooses its policy; a policy forced on a customer comes first. A criterion left empty matches everyone.",
  rule: 'Rule',
  label: 'Label',
  target: 'Policy applied',
  segments: 'Segment',
  seg_strategic: 'Strategic',
  seg_standard: 'Standard',
  kinds: 'Customer type',
  kind_b2b: 'Business',
  kind_b2c: 'Consumer',
  minExposure: 'Min. exposure (€)',
  maxExposure: 'Max. exposure (€)',
  minRisk: 'Min. risk score',
  maxRisk: 'Max. risk score',
  up: 'Move up',
  down: 'Move down',
  remove: 'Remove',
  add: 'Add a rule',
  saveRules: 'Save the rules',
  rulesSaved: 'Rules saved',
  badAmount: 'Amount expected, e.g. 1500 or 1500.50',
  badScore: 'Whole number from 0 to 100',
  noRules: 'No rules: only customers with a forced policy are dunned.',
  inForce: 'Dunning policy',
  byRule: 'by rule',
  byOverride: 'forced for this customer',
  noneMatches: 'no rule matches: customer not dunned',
  followRules: 'Follow the rules',
  force: 'Force the policy',
  apply: 'Apply',
  exposure: 'exposure considered',
};

export type RulesKey = keyof Dict;
export const rulesText = (lang: Lang) => (k: RulesKey): string => (lang === 'en' ? en : fr)[k];
export function useRulesText() {
  return rulesText(useI18n().lang);
}
