import { type Lang, useI18n } from '../i18n';

/** Strings of the bank review queue. */
const fr = {
  nav: 'Rapprochement',
  title: 'Rapprochement bancaire',
  intro:
    'Les virements que le rapprochement automatique n’a pas pu affecter, les plus gros d’abord. ↑/↓ pour choisir, Entrée pour valider la proposition, S pour répartir, N si ce n’est pas un paiement client.',
  empty: 'Rien à rapprocher : toutes les lignes sont affectées.',
  date: 'Date',
  amount: 'Montant',
  payer: 'Donneur d’ordre',
  text: 'Libellé',
  suggestion: 'Proposition',
  none: 'Aucune proposition',
  confidence: 'Confiance',
  why: 'Pourquoi',
  confirm: 'Valider',
  split: 'Répartir',
  notCustomer: 'Pas un paiement client',
  saveSplit: 'Enregistrer la répartition',
  cancel: 'Annuler',
  invoice: 'Facture',
  confirmed: 'Paiement enregistré.',
  setAside: 'Ligne écartée : ce n’est pas un paiement client.',
  alternatives: 'Autres possibilités',
  r_creditor_reference: 'Référence RF émise par le portail',
  r_unknown_reference: 'Référence RF inconnue',
  r_invoice_number: 'Numéro de facture dans le libellé',
  r_invoice_number_loose: 'Numéro de facture sans préfixe ni zéros',
  r_invoice_number_typo: 'Numéro de facture à une faute de frappe près',
  r_short_invoice_number: 'Numéro très court : peut-être une coïncidence',
  r_amount_exact: 'Le montant est le solde d’une facture',
  r_amount_sum: 'Le montant est la somme de plusieurs factures',
  r_amount_total_balance: 'Le montant est tout ce que doit le client',
  r_amount_only: 'Seul le montant correspond',
  r_customer_iban: 'IBAN connu du client',
  r_customer_name: 'Nom du donneur d’ordre = nom du client',
  r_customer_mismatch: 'Le donneur d’ordre ressemble à un autre client',
  r_partial_payment: 'Paiement partiel',
  r_short_payment: 'Paiement légèrement inférieur (frais)',
  r_overpayment: 'Trop-perçu',
  r_customer_credit: 'Le surplus reste en avoir client',
  r_ambiguous: 'Plusieurs possibilités équivalentes',
  r_no_candidate: 'Aucune référence, aucun numéro ni montant ne correspond',
  r_other: 'Autre indice',
};
type Key = keyof typeof fr;

const en: Record<Key, string> = {
  nav: 'Bank review',
  title: 'Bank reconciliation',
  intro:
    'Transfers the automatic matching could not allocate, largest first. ↑/↓ to choose, Enter to confirm the proposal, S to split, N when it is not a customer payment.',
  empty: 'Nothing to reconcile: every line is allocated.',
  date: 'Date',
  amount: 'Amount',
  payer: 'Payer',
  text: 'Remittance',
  suggestion: 'Proposal',
  none: 'No proposal',
  confidence: 'Confidence',
  why: 'Why',
  confirm: 'Confirm',
  split: 'Split',
  notCustomer: 'Not a customer payment',
  saveSplit: 'Save the split',
  cancel: 'Cancel',
  invoice: 'Invoice',
  confirmed: 'Payment recorded.',
  setAside: 'Line set aside: not a customer payment.',
  alternatives: 'Other possibilities',
  r_creditor_reference: 'RF reference issued by the portal',
  r_unknown_reference: 'Unknown RF reference',
  r_invoice_number: 'Invoice number in the text',
  r_invoice_number_loose: 'Invoice number without prefix or zeros',
  r_invoice_number_typo: 'Invoice number one typo away',
  r_short_invoice_number: 'Very short number: may be a coincidence',
  r_amount_exact: 'The amount is an invoice’s balance',
  r_amount_sum: 'The amount is the sum of several invoices',
  r_amount_total_balance: 'The amount is all the customer owes',
  r_amount_only: 'Only the amount matches',
  r_customer_iban: 'Known IBAN of the customer',
  r_customer_name: 'Payer name = customer name',
  r_customer_mismatch: 'The payer looks like another customer',
  r_partial_payment: 'Partial payment',
  r_short_payment: 'Slightly short payment (fees)',
  r_overpayment: 'Overpayment',
  r_customer_credit: 'The surplus stays as customer credit',
  r_ambiguous: 'Several equivalent possibilities',
  r_no_candidate: 'No reference, number or amount matches',
  r_other: 'Other evidence',
};

export function bankReviewText(lang: Lang) {
  const d = lang === 'fr' ? fr : en;
  return (key: Key) => d[key];
}

export function useBankReviewText() {
  const { lang } = useI18n();
  const t = bankReviewText(lang);
  /** A matcher reason code in words; an unknown code never shows as a key. */
  const reason = (code: string) => {
    const key = `r_${code.replaceAll('-', '_')}` as Key;
    return key in fr ? t(key) : t('r_other');
  };
  return { t, reason };
}
