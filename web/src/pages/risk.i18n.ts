import { type Lang, useI18n } from '../i18n';

const fr = {
  atRisk: 'Clients à risque',
  cashIn: 'Encaissements attendus',
  cashInHelp:
    'Encaissements attendus par semaine sur les 13 prochaines semaines, d’après les dates de paiement prévues par le modèle. La bande va du scénario bas (P10) au scénario haut (P90).',
  weekOf: 'Semaine du',
  expected: 'Attendu',
  p10: 'Bas (P10)',
  p90: 'Haut (P90)',
  band: 'Fourchette P10–P90',
  later: 'Au-delà de 13 semaines',
  score: 'Score de risque',
  scoreOutOf: '/ 100',
  riskBand: 'Niveau',
  topFactor: 'Facteur principal',
  factors: 'Facteurs principaux',
  noFactor: 'Aucun facteur marquant : ce client paie comme la moyenne.',
  history: 'Historique du score',
  historyOne: 'Un seul score calculé pour l’instant : l’historique se remplit chaque jour.',
  b_faible: 'faible',
  b_moyen: 'moyen',
  b_eleve: 'élevé',
  b_critique: 'critique',
  noModel:
    'Aucun modèle de risque n’est encore entraîné : les scores apparaîtront une fois le modèle calculé sur l’historique de paiement.',
  noModelForecast: 'Prévision établie avec les hypothèses par défaut, faute de modèle entraîné.',
  priorModel:
    'Historique de paiement insuffisant : le score repose sur des hypothèses par défaut documentées et non sur vos données.',
  askAdmin: 'Un administrateur peut lancer le calcul.',
  train: 'Calculer le score',
  training: 'Calcul en cours…',
  trainFailed: 'Le calcul du score a échoué.',
  noCustomerScore: 'Ce client n’a pas encore de score : il sera calculé au prochain entraînement du modèle.',
  noneAtRisk: 'Aucun client noté pour l’instant.',
  noOpen: 'Aucune facture ouverte : aucun encaissement attendu.',
  scoredOn: 'calculé le',
  model: 'modèle',
};
type Dict = typeof fr;
const en: Dict = {
  atRisk: 'Customers at risk',
  cashIn: 'Expected collections',
  cashInHelp:
    'Expected collections per week over the next 13 weeks, from the payment dates the model predicts. The band runs from the low case (P10) to the high case (P90).',
  weekOf: 'Week of',
  expected: 'Expected',
  p10: 'Low (P10)',
  p90: 'High (P90)',
  band: 'P10–P90 range',
  later: 'After 13 weeks',
  score: 'Risk score',
  scoreOutOf: '/ 100',
  riskBand: 'Band',
  topFactor: 'Main factor',
  factors: 'Main factors',
  noFactor: 'No stand-out factor: this customer pays like the average.',
  history: 'Score history',
  historyOne: 'Only one score so far: the history fills in day by day.',
  b_faible: 'low',
  b_moyen: 'medium',
  b_eleve: 'high',
  b_critique: 'critical',
  noModel: 'No risk model has been trained yet: scores will appear once the model is computed from the payment history.',
  noModelForecast: 'Forecast made with the default assumptions, as no model has been trained.',
  priorModel: 'Not enough payment history: the score rests on documented default assumptions, not on your data.',
  askAdmin: 'An administrator can start the computation.',
  train: 'Compute the score',
  training: 'Computing…',
  trainFailed: 'Computing the score failed.',
  noCustomerScore: 'This customer has no score yet: it will be computed the next time the model is trained.',
  noneAtRisk: 'No customer scored yet.',
  noOpen: 'No open invoice: no collection expected.',
  scoredOn: 'computed on',
  model: 'model',
};
export type RiskKey = keyof Dict;
export const riskText =
  (lang: Lang) =>
  (k: RiskKey): string =>
    (lang === 'en' ? en : fr)[k];
export function useRiskText() {
  return riskText(useI18n().lang);
}
