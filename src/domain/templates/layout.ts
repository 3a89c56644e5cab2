import type { TemplateSource } from './catalogue.js';
import type { TemplateLocale } from './variables.js';

/** Locale wording of the parts every message shares: greeting, invoice list, payment, signature. */
const L = {
  fr: {
    hello: '{{#if greetingName}}Bonjour {{greetingName}},{{else}}Madame, Monsieur,{{/if}}',
    dear: 'Madame, Monsieur,',
    invoice: 'Facture',
    instalment: 'échéance',
    issued: 'Émise le',
    due: 'Échéance',
    amount: 'Montant',
    balance: 'Reste dû',
    late: 'Retard (jours)',
    total: 'Total dû',
    lateDays: '{{daysLate}} j de retard',
    payBy: 'Règlement par virement',
    reference: 'Référence à indiquer',
    // "Régler en ligne" only when a payment provider is configured (issue 13).
    portal: 'Consulter {{#if onlinePayment}}et régler {{/if}}vos factures en ligne',
    regards: 'Cordialement,',
    subject: 'Objet',
    customerRef: 'Votre référence client',
    on: 'Le {{date today}}',
    /** French typography puts a space before a colon. */
    sep: ' : ',
  },
  en: {
    hello: '{{#if greetingName}}Dear {{greetingName}},{{else}}Dear Sir or Madam,{{/if}}',
    dear: 'Dear Sir or Madam,',
    invoice: 'Invoice',
    instalment: 'instalment',
    issued: 'Issued',
    due: 'Due date',
    amount: 'Amount',
    balance: 'Balance due',
    late: 'Days late',
    total: 'Total due',
    lateDays: '{{daysLate}} days late',
    payBy: 'Payment by bank transfer',
    reference: 'Reference to quote',
    portal: 'View {{#if onlinePayment}}and pay {{/if}}your invoices online',
    regards: 'Kind regards,',
    subject: 'Subject',
    customerRef: 'Your customer reference',
    on: '{{date today}}',
    sep: ': ',
  },
} as const;

function signatureLines(l: (typeof L)[TemplateLocale]): string[] {
  return [
    l.regards,
    '{{#if collector}}{{collector.name}}{{#if collector.title}}, {{collector.title}}{{/if}}{{/if}}',
    '{{#if organisation.signature}}{{organisation.signature}}{{else}}{{organisation.name}}{{/if}}',
    '{{#if collector.email}}{{collector.email}}{{/if}}{{#if collector.phone}} {{collector.phone}}{{/if}}',
  ];
}

const invoiceLabel = (l: (typeof L)[TemplateLocale]) =>
  `{{number}}{{#if instalmentSeq}} (${l.instalment} {{instalmentSeq}}){{/if}}`;

export function htmlSource(src: TemplateSource, locale: TemplateLocale): string {
  const l = L[locale];
  const td = 'style="padding:4px 8px;border-bottom:1px solid #ddd"';
  const tdr = 'style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right"';
  return [
    '<!doctype html>',
    '<html lang="{{locale}}"><head><meta charset="utf-8"><title>{{subject}}</title></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;line-height:1.45">',
    `<p>${l.hello}</p>`,
    ...src.intro.map((p) => `<p>${p}</p>`),
    '<table style="border-collapse:collapse;margin:12px 0">',
    `<thead><tr><th ${td}>${l.invoice}</th><th ${td}>${l.issued}</th><th ${td}>${l.due}</th><th ${tdr}>${l.amount}</th><th ${tdr}>${l.balance}</th><th ${tdr}>${l.late}</th></tr></thead>`,
    '<tbody>{{#each invoices}}',
    `<tr><td ${td}>${invoiceLabel(l)}</td><td ${td}>{{dateShort issueDate}}</td><td ${td}>{{dateShort dueDate}}</td><td ${tdr}>{{money amountMinor currency}}</td><td ${tdr}>{{money balanceMinor currency}}</td><td ${tdr}>{{#if (gt daysLate 0)}}{{daysLate}}{{/if}}</td></tr>`,
    '{{/each}}</tbody>',
    `<tfoot><tr><th ${td} colspan="4">${l.total}</th><th ${tdr}>{{totals}}</th><th ${td}></th></tr></tfoot>`,
    '</table>',
    ...src.outro.map((p) => `<p>${p}</p>`),
    `{{#if payment.iban}}<p><strong>${l.payBy}</strong><br>IBAN${l.sep}{{payment.iban}}{{#if payment.bic}}<br>BIC${l.sep}{{payment.bic}}{{/if}}{{#if payment.reference}}<br>${l.reference}${l.sep}<strong>{{payment.reference}}</strong>{{/if}}</p>{{/if}}`,
    `{{#if portalUrl}}<p><a href="{{portalUrl}}">${l.portal}</a></p>{{/if}}`,
    `<p>${signatureLines(l).join('<br>')}</p>`,
    '</body></html>',
  ].join('\n');
}

function textBody(src: TemplateSource, locale: TemplateLocale, greeting: string): string[] {
  const l = L[locale];
  return [
    greeting,
    '',
    ...src.intro.flatMap((p) => [p, '']),
    `{{#each invoices}}- ${l.invoice} ${invoiceLabel(l)}, ${l.due.toLowerCase()} {{dateShort dueDate}}${l.sep}{{money balanceMinor currency}}{{#if (gt daysLate 0)}} (${l.lateDays}){{/if}}\n{{/each}}${l.total}${l.sep}{{totals}}`,
    '',
    ...src.outro.flatMap((p) => [p, '']),
    `{{#if payment.iban}}${l.payBy}\nIBAN${l.sep}{{payment.iban}}{{#if payment.bic}}\nBIC${l.sep}{{payment.bic}}{{/if}}{{#if payment.reference}}\n${l.reference}${l.sep}{{payment.reference}}{{/if}}\n\n{{/if}}{{#if portalUrl}}${l.portal}${l.sep}{{portalUrl}}\n\n{{/if}}${signatureLines(l).join('\n')}`,
  ];
}

export function textSource(src: TemplateSource, locale: TemplateLocale): string {
  return textBody(src, locale, L[locale].hello).join('\n');
}

/** A postal letter: sender block, addressee block, date, title, subject, then the text body. */
export function letterSource(src: TemplateSource, locale: TemplateLocale): string {
  const l = L[locale];
  return [
    // Each block ends with an explicit blank line: Handlebars strips the newline after a
    // standalone closing tag, and tidy() folds extra blank lines afterwards.
    '{{organisation.name}}{{#each organisation.addressLines}}\n{{this}}{{/each}}',
    '',
    '{{customer.name}}{{#each customer.addressLines}}\n{{this}}{{/each}}',
    '',
    l.on,
    '',
    ...(src.letterTitle ? [src.letterTitle, ''] : []),
    `${l.subject}${l.sep}{{subject}}{{#if customer.reference}}\n${l.customerRef}${l.sep}{{customer.reference}}{{/if}}`,
    '',
    ...textBody(src, locale, l.dear),
  ].join('\n');
}
