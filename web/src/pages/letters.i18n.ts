import { type Lang, useI18n } from '../i18n';

const fr = {
  nav: 'Courriers',
  title: 'Courriers à poster',
  intro:
    "Sans prestataire postal, chaque courrier est mis en file d'impression : imprimez-le, postez-le, puis notez le numéro de recommandé et, au retour, la date de l'avis de réception.",
  status: 'Statut',
  f_to_print: 'À imprimer',
  f_posted: 'Postés',
  f_delivered: 'AR reçus',
  f_all: 'Tous',
  st_queued_for_print: 'À imprimer',
  st_posted: 'Posté',
  st_delivered: 'AR reçu',
  customer: 'Client',
  address: 'Adresse',
  createdAt: 'Préparé le',
  kind: 'Type',
  registered: 'Recommandé AR',
  plain: 'Lettre simple',
  tracking: 'N° de recommandé',
  trackingHint: '1A 012 345 678 90 ou RR 123 456 785 FR',
  trackingFormat: 'Numéro La Poste attendu : 1 chiffre, 1 lettre, 11 chiffres (ou format international RR…FR).',
  trackingCheckDigit: 'Clé de contrôle incorrecte : vérifiez le numéro.',
  trackingRequired: 'Un recommandé se poste avec son numéro de suivi.',
  postedOn: 'Posté le',
  markPosted: 'Marquer posté',
  receivedOn: 'Date de l’AR',
  recordReceipt: 'Enregistrer l’AR',
  pdf: 'PDF',
  openPdf: 'Ouvrir le PDF',
  actions: 'Actions',
  one: 'courrier',
  total: 'courriers',
  scan: 'Scan de l’AR (facultatif)',
  next: 'Suivants',
  previous: 'Précédents',
  empty: 'Aucun courrier.',
  done: 'Enregistré',
};

type Dict = typeof fr;

const en: Dict = {
  nav: 'Letters',
  title: 'Letters to post',
  intro:
    'Without a postal provider every letter is queued for printing: print it, post it, then record the registered-letter number and, when it comes back, the date on the acknowledgement of receipt.',
  status: 'Status',
  f_to_print: 'To print',
  f_posted: 'Posted',
  f_delivered: 'Receipt back',
  f_all: 'All',
  st_queued_for_print: 'To print',
  st_posted: 'Posted',
  st_delivered: 'Receipt back',
  customer: 'Customer',
  address: 'Address',
  createdAt: 'Prepared on',
  kind: 'Kind',
  registered: 'Registered (AR)',
  plain: 'Plain letter',
  tracking: 'Tracking number',
  trackingHint: '1A 012 345 678 90 or RR 123 456 785 FR',
  trackingFormat: 'La Poste number expected: 1 digit, 1 letter, 11 digits (or the international RR…FR form).',
  trackingCheckDigit: 'Wrong check digit: check the number.',
  trackingRequired: 'A registered letter is posted with its tracking number.',
  postedOn: 'Posted on',
  markPosted: 'Mark posted',
  receivedOn: 'Receipt date',
  recordReceipt: 'Record receipt',
  pdf: 'PDF',
  openPdf: 'Open the PDF',
  actions: 'Actions',
  one: 'letter',
  total: 'letters',
  scan: 'Scan of the signed card (optional)',
  next: 'Next',
  previous: 'Previous',
  empty: 'No letters.',
  done: 'Saved',
};

export type LetterKey = keyof Dict;
export const lettersText = (lang: Lang) => (k: LetterKey): string => (lang === 'en' ? en : fr)[k];
export function useLettersText() {
  return lettersText(useI18n().lang);
}
