import type { TemplateLocale } from './variables.js';

/**
 * A template is a subject, paragraphs around the invoice list, an SMS and, for letters, a
 * title line. Paragraphs are Handlebars without markup: the layout wraps them in <p> for
 * HTML and in blank lines for text and letters, so the three renderings cannot drift apart.
 */
export interface TemplateSource {
  subject: string;
  intro: string[];
  outro: string[];
  sms: string;
  letterTitle?: string;
}

export type TemplateCatalogue = Record<string, Partial<Record<TemplateLocale, TemplateSource>>>;

const one = (yes: string, no: string) => `{{#if single}}${yes}{{else}}${no}{{/if}}`;

// Penalties accrued (from the law engine). Never a placeholder: without figures the sentence
// that would carry them is left out, and a document that needs them is held (decision 022).
const PENALTIES_FR = '{{money penalties.accruedMinor penalties.currency}} au {{date penalties.asOf}}';
const PENALTIES_EN = '{{money penalties.accruedMinor penalties.currency}} as of {{date penalties.asOf}}';
const INDEMNITY = '{{#if indemnity}}{{money indemnity.amountMinor indemnity.currency}}{{/if}}';
// What was actually sent before, or no claim at all (decision 021).
const DESPITE_FR =
  '{{#if previousRemindersText}}Malgré {{previousRemindersText}}, {{else}}Sauf erreur de notre part, {{/if}}';
const DESPITE_EN =
  '{{#if previousRemindersText}}Despite {{previousRemindersText}}, {{else}}According to our records, {{/if}}';
const SECOND_FR = '{{#if previousRemindersText}}Deuxième relance{{else}}Relance{{/if}}';
const SECOND_EN = '{{#if previousRemindersText}}Second reminder{{else}}Reminder{{/if}}';

const fr: Record<string, TemplateSource> = {
  courtesy: {
    subject: `${one('Échéance prochaine de la facture {{first.number}}', 'Échéance prochaine de {{count}} factures')} – {{organisation.name}}`,
    intro: [
      `Nous vous rappelons que ${one('la facture ci-dessous arrive', 'les factures ci-dessous arrivent')} à échéance prochainement.`,
    ],
    outro: ['Si le règlement est déjà en cours, merci de ne pas tenir compte de ce message.'],
    sms: `{{organisation.name}} : ${one('votre facture {{first.number}} de {{totals}} arrive', 'vos {{count}} factures ({{totals}}) arrivent')} à échéance le {{dateShort first.dueDate}}. Merci !`,
  },
  first_reminder: {
    subject: `Relance : ${one('facture {{first.number}} échue', '{{count}} factures échues')} – {{organisation.name}}`,
    intro: [
      `Sauf erreur de notre part, ${one('la facture suivante reste impayée', 'les factures suivantes restent impayées')} à ce jour :`,
    ],
    outro: [
      "Il s'agit peut-être d'un simple oubli : nous vous remercions de bien vouloir régler la somme de {{totals}} dans les meilleurs délais.",
      'Si vous avez déjà effectué ce paiement, merci de ne pas tenir compte de ce message. Pour toute question ou contestation, il vous suffit de répondre à ce message.',
    ],
    sms: `{{organisation.name}} : sauf erreur, ${one('la facture {{first.number}} reste impayée', '{{count}} factures restent impayées')} ({{totals}}). Merci de régulariser{{#if portalUrl}} : {{portalUrl}}{{/if}}.`,
  },
  second_reminder_b2b: {
    subject: `${SECOND_FR} : ${one('facture {{first.number}}', '{{count}} factures')} impayée${one('', 's')} – {{organisation.name}}`,
    intro: [
      `${DESPITE_FR}${one('la facture suivante demeure impayée', 'les factures suivantes demeurent impayées')} :`,
    ],
    outro: [
      `Conformément à l'article L441-10 du Code de commerce, tout retard de paiement entraîne de plein droit des pénalités de retard ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 € par facture (article D441-5).{{#if penalties}} Pénalités de retard : ${PENALTIES_FR}. Indemnité forfaitaire : ${INDEMNITY}.{{/if}}`,
      'Sans règlement de votre part, nous pourrons être amenés à suspendre nos livraisons et prestations.',
      'Nous vous remercions de régler la somme de {{totals}} sous huit jours.',
    ],
    sms: `{{organisation.name}} : {{#if previousRemindersText}}2e relance{{else}}relance{{/if}}, ${one('facture {{first.number}}', '{{count}} factures')} impayée${one('', 's')} ({{totals}}). Pénalités et indemnité de 40 € applicables. Merci de régler sous 8 jours.`,
  },
  second_reminder_b2c: {
    subject: `${SECOND_FR} : ${one('facture {{first.number}}', '{{count}} factures')} impayée${one('', 's')} – {{organisation.name}}`,
    intro: [
      `${DESPITE_FR}${one('la facture suivante demeure impayée', 'les factures suivantes demeurent impayées')} :`,
    ],
    outro: [
      'Nous vous remercions de régler la somme de {{totals}} sous huit jours.',
      "Si vous rencontrez des difficultés de paiement, contactez-nous : nous pouvons convenir d'un échéancier.",
    ],
    sms: `{{organisation.name}} : {{#if previousRemindersText}}2e relance{{else}}relance{{/if}}, ${one('facture {{first.number}}', '{{count}} factures')} impayée${one('', 's')} ({{totals}}). En cas de difficulté, contactez-nous pour un échéancier.`,
  },
  formal_notice_b2b: {
    letterTitle: 'LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION',
    subject: 'Mise en demeure de payer – {{totals}} – {{organisation.name}}',
    intro: [
      `${DESPITE_FR}${one('la facture suivante demeure impayée', 'les factures suivantes demeurent impayées')} :`,
    ],
    outro: [
      "Par la présente, nous vous mettons en demeure, au sens de l'article 1344 du Code civil, de nous régler la somme de {{totals}} au plus tard le {{date deadlineDate}}, soit dans un délai de {{deadlineDays}} jours.",
      `Cette somme est majorée des pénalités de retard prévues à l'article L441-10 du Code de commerce{{#if penalties}} (${PENALTIES_FR}){{/if}} et de l'indemnité forfaitaire pour frais de recouvrement de 40 € par facture prévue à l'article D441-5{{#if penalties}} (${INDEMNITY}){{/if}}.{{#if provisionalRatesText}} {{provisionalRatesText}}{{/if}}`,
      'À défaut de paiement dans ce délai, nous engagerons sans autre avis toute procédure utile au recouvrement de notre créance, notamment une requête en injonction de payer.',
    ],
    sms: '{{organisation.name}} : mise en demeure adressée par lettre recommandée. Somme due : {{totals}}, à régler au plus tard le {{dateShort deadlineDate}}.',
  },
  formal_notice_b2c: {
    letterTitle: 'LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION',
    subject: 'Mise en demeure de payer – {{totals}} – {{organisation.name}}',
    intro: [
      `${DESPITE_FR}${one('la facture suivante demeure impayée', 'les factures suivantes demeurent impayées')} :`,
    ],
    outro: [
      'Par la présente, nous vous mettons en demeure de nous régler la somme de {{totals}} au plus tard le {{date deadlineDate}}, soit dans un délai de {{deadlineDays}} jours.',
      "Conformément à l'article 1231-6 du Code civil, la présente mise en demeure fait courir les intérêts au taux légal sur les sommes dues.",
      "À défaut de paiement dans ce délai, nous pourrons saisir la juridiction compétente. Si vous rencontrez des difficultés, contactez-nous sans attendre afin de convenir d'un échéancier.",
    ],
    sms: '{{organisation.name}} : mise en demeure adressée par lettre recommandée. Somme due : {{totals}}, à régler au plus tard le {{dateShort deadlineDate}}.',
  },
};

const en: Record<string, TemplateSource> = {
  courtesy: {
    subject: `${one('Invoice {{first.number}} falls due soon', '{{count}} invoices fall due soon')} – {{organisation.name}}`,
    intro: [
      `This is a friendly reminder that ${one('the invoice below falls', 'the invoices below fall')} due shortly.`,
    ],
    outro: ['If payment is already on its way, please disregard this message.'],
    sms: `{{organisation.name}}: ${one('invoice {{first.number}} ({{totals}}) is', 'your {{count}} invoices ({{totals}}) are')} due on {{dateShort first.dueDate}}. Thank you!`,
  },
  first_reminder: {
    subject: `Reminder: ${one('invoice {{first.number}} is overdue', '{{count}} invoices are overdue')} – {{organisation.name}}`,
    intro: [
      `According to our records, ${one('the following invoice remains', 'the following invoices remain')} unpaid:`,
    ],
    outro: [
      'This may simply be an oversight: please pay the amount of {{totals}} at your earliest convenience.',
      'If you have already paid, please disregard this message. For any question or dispute, simply reply to this message.',
    ],
    sms: `{{organisation.name}}: ${one('invoice {{first.number}} is', '{{count}} invoices are')} still unpaid ({{totals}}). Please settle{{#if portalUrl}}: {{portalUrl}}{{/if}}.`,
  },
  second_reminder_b2b: {
    subject: `${SECOND_EN}: ${one('invoice {{first.number}}', '{{count}} invoices')} unpaid – {{organisation.name}}`,
    intro: [`${DESPITE_EN}${one('the following invoice remains', 'the following invoices remain')} unpaid:`],
    outro: [
      `Under article L441-10 of the French Commercial Code, late payment automatically incurs late-payment penalties and a fixed recovery indemnity of €40 per invoice (article D441-5).{{#if penalties}} Penalties: ${PENALTIES_EN}. Fixed indemnity: ${INDEMNITY}.{{/if}}`,
      'Without payment, we may have to suspend deliveries and services.',
      'Please pay the amount of {{totals}} within eight days.',
    ],
    sms: `{{organisation.name}}: {{#if previousRemindersText}}second reminder{{else}}reminder{{/if}}, ${one('invoice {{first.number}}', '{{count}} invoices')} unpaid ({{totals}}). Penalties and the €40 indemnity apply. Please pay within 8 days.`,
  },
  second_reminder_b2c: {
    subject: `${SECOND_EN}: ${one('invoice {{first.number}}', '{{count}} invoices')} unpaid – {{organisation.name}}`,
    intro: [`${DESPITE_EN}${one('the following invoice remains', 'the following invoices remain')} unpaid:`],
    outro: [
      'Please pay the amount of {{totals}} within eight days.',
      'If you are having difficulty paying, contact us: we can agree a payment plan.',
    ],
    sms: `{{organisation.name}}: {{#if previousRemindersText}}second reminder{{else}}reminder{{/if}}, ${one('invoice {{first.number}}', '{{count}} invoices')} unpaid ({{totals}}). If you have difficulty paying, contact us for a payment plan.`,
  },
  formal_notice_b2b: {
    letterTitle: 'REGISTERED LETTER WITH ACKNOWLEDGEMENT OF RECEIPT',
    subject: 'Formal notice to pay – {{totals}} – {{organisation.name}}',
    intro: [`${DESPITE_EN}${one('the following invoice remains', 'the following invoices remain')} unpaid:`],
    outro: [
      'We hereby give you formal notice (mise en demeure, article 1344 of the French Civil Code) to pay the amount of {{totals}} no later than {{date deadlineDate}}, that is within {{deadlineDays}} days.',
      `This amount is increased by the late-payment penalties of article L441-10 of the French Commercial Code{{#if penalties}} (${PENALTIES_EN}){{/if}} and the fixed recovery indemnity of €40 per invoice of article D441-5{{#if penalties}} (${INDEMNITY}){{/if}}.{{#if provisionalRatesText}} {{provisionalRatesText}}{{/if}}`,
      'Failing payment within this period, we will take legal action to recover the debt without further notice, including an application for an order for payment (injonction de payer).',
    ],
    sms: '{{organisation.name}}: formal notice addressed by registered letter. Amount due: {{totals}}, to be paid no later than {{dateShort deadlineDate}}.',
  },
  formal_notice_b2c: {
    letterTitle: 'REGISTERED LETTER WITH ACKNOWLEDGEMENT OF RECEIPT',
    subject: 'Formal notice to pay – {{totals}} – {{organisation.name}}',
    intro: [`${DESPITE_EN}${one('the following invoice remains', 'the following invoices remain')} unpaid:`],
    outro: [
      'We hereby give you formal notice to pay the amount of {{totals}} no later than {{date deadlineDate}}, that is within {{deadlineDays}} days.',
      'Under article 1231-6 of the French Civil Code, this formal notice starts interest at the legal rate on the amounts due.',
      'Failing payment within this period, we may refer the matter to the competent court. If you are having difficulty paying, contact us without delay to agree a payment plan.',
    ],
    sms: '{{organisation.name}}: formal notice addressed by registered letter. Amount due: {{totals}}, to be paid no later than {{dateShort deadlineDate}}.',
  },
};

export const DEFAULT_TEMPLATES: TemplateCatalogue = Object.fromEntries(
  Object.keys(fr).map((key) => [key, { fr: fr[key], en: en[key] }]),
);
