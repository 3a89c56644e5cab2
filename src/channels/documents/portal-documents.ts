import { formatMoney, type Money } from '../../domain/money/index.js';
import { formatIban } from '../letter/text.js';
import type { DocumentSpec } from './render-document.js';

/**
 * The content of what the portal hands out, as plain data for renderDocumentPdf. French or
 * English, after the customer's language. Pure: the use cases load rows and pass them in.
 */
export type DocLanguage = 'fr' | 'en';

export interface Issuer {
  name: string;
  siren: string | null;
  addressLines: string[];
  email: string | null;
  iban: string | null;
}

export interface Recipient {
  name: string;
  reference: string;
  addressLines: string[];
}

export interface DocInvoice {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  gross: Money;
  balance: Money;
}

const shortDate = (d: string, lang: DocLanguage) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) return d;
  return lang === 'fr' ? `${m[3]}/${m[2]}/${m[1]}` : `${m[1]}-${m[2]}-${m[3]}`;
};
const fmt = (m: Money, lang: DocLanguage) => formatMoney(m, lang === 'fr' ? 'fr-FR' : 'en-GB');

function issuerLines(i: Issuer): string[] {
  return [i.name, ...i.addressLines, ...(i.siren ? [`SIREN ${i.siren}`] : []), ...(i.email ? [i.email] : [])];
}

function recipientLines(r: Recipient, lang: DocLanguage, date: string): string[] {
  return [
    r.name,
    ...r.addressLines,
    `${lang === 'fr' ? 'Réf. client' : 'Customer ref.'} ${r.reference}`,
    `${lang === 'fr' ? 'Date' : 'Date'} ${shortDate(date, lang)}`,
  ];
}

function invoiceTable(invoices: DocInvoice[], lang: DocLanguage, total: Money | null) {
  const fr = lang === 'fr';
  return {
    columns: [
      { title: fr ? 'Facture n°' : 'Invoice', widthMm: 40, align: 'left' as const },
      { title: fr ? 'Date' : 'Date', widthMm: 26, align: 'left' as const },
      { title: fr ? 'Échéance' : 'Due', widthMm: 26, align: 'left' as const },
      { title: fr ? 'Montant TTC' : 'Amount', widthMm: 39, align: 'right' as const },
      { title: fr ? 'Solde dû' : 'Balance due', widthMm: 39, align: 'right' as const },
    ],
    rows: invoices.map((i) => [
      i.invoiceNumber,
      shortDate(i.issueDate, lang),
      shortDate(i.dueDate, lang),
      fmt(i.gross, lang),
      fmt(i.balance, lang),
    ]),
    ...(total ? { total: { label: fr ? 'Total restant dû' : 'Total due', value: fmt(total, lang) } } : {}),
  };
}

export interface PlanAgreementInput {
  lang: DocLanguage;
  issuer: Issuer;
  recipient: Recipient;
  planId: string;
  total: Money;
  graceDays: number;
  invoices: DocInvoice[];
  schedule: { seq: number; dueDate: string; amount: Money }[];
  acceptance: { name: string; at: Date };
}

/**
 * The payment plan agreement the debtor accepts: the debt acknowledged (which interrupts
 * limitation, Code civil art. 2240), the schedule, the default rule, and who accepted when.
 */
export function planAgreementSpec(p: PlanAgreementInput): DocumentSpec {
  const fr = p.lang === 'fr';
  const acceptedAt = p.acceptance.at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
  const total = fmt(p.total, p.lang);
  const numbers = p.invoices.map((i) => i.invoiceNumber).join(', ');
  return {
    title: fr ? 'Échéancier de paiement — accord' : 'Payment plan agreement',
    issuer: issuerLines(p.issuer),
    recipient: recipientLines(p.recipient, p.lang, p.acceptance.at.toISOString().slice(0, 10)),
    sections: [
      {
        heading: fr ? 'Reconnaissance de dette' : 'Acknowledgment of debt',
        paragraphs: [
          fr
            ? `${p.recipient.name} reconnaît devoir à ${p.issuer.name} la somme de ${total} au titre des factures ${numbers}, et s'engage à la régler selon l'échéancier ci-dessous.`
            : `${p.recipient.name} acknowledges owing ${p.issuer.name} the sum of ${total} for invoices ${numbers}, and undertakes to pay it on the schedule below.`,
        ],
        table: invoiceTable(p.invoices, p.lang, p.total),
      },
      {
        heading: fr ? 'Échéancier' : 'Schedule',
        table: {
          columns: [
            { title: fr ? 'Échéance' : 'Instalment', widthMm: 40, align: 'left' },
            { title: fr ? 'Date' : 'Date', widthMm: 50, align: 'left' },
            { title: fr ? 'Montant' : 'Amount', widthMm: 80, align: 'right' },
          ],
          rows: p.schedule.map((s) => [
            s.seq === 0 ? (fr ? 'Acompte' : 'Down payment') : String(s.seq),
            shortDate(s.dueDate, p.lang),
            fmt(s.amount, p.lang),
          ]),
          total: { label: fr ? 'Total' : 'Total', value: total },
        },
      },
      {
        heading: fr ? 'Conditions' : 'Terms',
        paragraphs: fr
          ? [
              `Tant que chaque échéance est payée au plus tard ${p.graceDays} jour(s) après sa date, ${p.issuer.name} n'adresse aucune relance pour ces factures.`,
              `À défaut de paiement d'une échéance dans ce délai, l'échéancier devient caduc de plein droit : le solde restant dû redevient immédiatement exigible et le recouvrement reprend.`,
              `Les paiements s'imputent sur les échéances dans leur ordre.${p.issuer.iban ? ` Virement : IBAN ${formatIban(p.issuer.iban)}.` : ''}`,
            ]
          : [
              `As long as each instalment is paid no later than ${p.graceDays} day(s) after its date, ${p.issuer.name} sends no reminder for these invoices.`,
              `If an instalment is not paid within that time, the plan lapses: the remaining balance becomes due at once and collection resumes.`,
              `Payments settle the instalments in order.${p.issuer.iban ? ` Bank transfer: IBAN ${formatIban(p.issuer.iban)}.` : ''}`,
            ],
      },
      {
        heading: fr ? 'Acceptation' : 'Acceptance',
        paragraphs: [
          fr
            ? `Accepté en ligne le ${acceptedAt} par ${p.acceptance.name}, pour ${p.recipient.name}, sur le portail de paiement de ${p.issuer.name}. Plan ${p.planId}.`
            : `Accepted online on ${acceptedAt} by ${p.acceptance.name}, for ${p.recipient.name}, on the payment portal of ${p.issuer.name}. Plan ${p.planId}.`,
        ],
      },
    ],
    footer: `${p.issuer.name}${p.issuer.siren ? ` · SIREN ${p.issuer.siren}` : ''}`,
    createdAt: p.acceptance.at,
  };
}

export interface StatementInput {
  lang: DocLanguage;
  issuer: Issuer;
  recipient: Recipient;
  date: string;
  invoices: DocInvoice[];
  totals: Money[];
  /** Unallocated payments and credits held for the customer, per currency. */
  credits: Money[];
  createdAt: Date;
}

/** Statement of account (relevé de compte): every open item and the total per currency. */
export function statementSpec(p: StatementInput): DocumentSpec {
  const fr = p.lang === 'fr';
  const single = p.totals.length === 1 ? (p.totals[0] ?? null) : null;
  return {
    title: fr ? `Relevé de compte au ${shortDate(p.date, p.lang)}` : `Statement of account at ${p.date}`,
    issuer: issuerLines(p.issuer),
    recipient: recipientLines(p.recipient, p.lang, p.date),
    sections: [
      {
        paragraphs: [
          p.invoices.length === 0
            ? fr
              ? 'Aucune facture ne reste à payer à cette date.'
              : 'Nothing is left to pay at this date.'
            : fr
              ? `Factures restant dues au ${shortDate(p.date, p.lang)} :`
              : `Invoices still due at ${p.date}:`,
        ],
        ...(p.invoices.length > 0 ? { table: invoiceTable(p.invoices, p.lang, single) } : {}),
      },
      ...(p.totals.length > 1
        ? [
            {
              heading: fr ? 'Totaux par devise' : 'Totals per currency',
              paragraphs: p.totals.map((m) => fmt(m, p.lang)),
            },
          ]
        : []),
      ...(p.credits.length > 0
        ? [
            {
              heading: fr ? 'Avoirs et paiements non imputés' : 'Unallocated payments and credits',
              paragraphs: p.credits.map((m) => fmt(m, p.lang)),
            },
          ]
        : []),
    ],
    footer: `${p.issuer.name}${p.issuer.siren ? ` · SIREN ${p.issuer.siren}` : ''}`,
    createdAt: p.createdAt,
  };
}

export interface InvoiceSummaryInput {
  lang: DocLanguage;
  issuer: Issuer;
  recipient: Recipient;
  invoice: DocInvoice & { net: Money; tax: Money; paid: Money; credited: Money; description: string | null };
  createdAt: Date;
}

/** When no invoice document is stored: a summary of the invoice as the ledger knows it. */
export function invoiceSummarySpec(p: InvoiceSummaryInput): DocumentSpec {
  const fr = p.lang === 'fr';
  const i = p.invoice;
  const row = (label: string, value: string) => [label, value];
  return {
    title: fr ? `Facture ${i.invoiceNumber} — récapitulatif` : `Invoice ${i.invoiceNumber} — summary`,
    issuer: issuerLines(p.issuer),
    recipient: recipientLines(p.recipient, p.lang, p.createdAt.toISOString().slice(0, 10)),
    sections: [
      {
        paragraphs: [
          fr
            ? 'Ce récapitulatif reprend les données de la facture enregistrées par le créancier ; il ne remplace pas la facture originale.'
            : 'This summary shows the invoice as recorded by the creditor; it does not replace the original invoice.',
          ...(i.description ? [i.description] : []),
        ],
        table: {
          columns: [
            { title: fr ? 'Rubrique' : 'Item', widthMm: 100, align: 'left' },
            { title: fr ? 'Valeur' : 'Value', widthMm: 70, align: 'right' },
          ],
          rows: [
            row(fr ? 'Date de facture' : 'Invoice date', shortDate(i.issueDate, p.lang)),
            row(fr ? "Date d'échéance" : 'Due date', shortDate(i.dueDate, p.lang)),
            ...(i.net.amount > 0 || i.tax.amount > 0
              ? [
                  row(fr ? 'Montant HT' : 'Net', fmt(i.net, p.lang)),
                  row(fr ? 'TVA' : 'VAT', fmt(i.tax, p.lang)),
                ]
              : []),
            row(fr ? 'Montant TTC' : 'Total', fmt(i.gross, p.lang)),
            row(fr ? 'Déjà payé' : 'Paid', fmt(i.paid, p.lang)),
            ...(i.credited.amount > 0 ? [row(fr ? 'Avoirs' : 'Credited', fmt(i.credited, p.lang))] : []),
          ],
          total: { label: fr ? 'Solde dû' : 'Balance due', value: fmt(i.balance, p.lang) },
        },
      },
    ],
    footer: `${p.issuer.name}${p.issuer.siren ? ` · SIREN ${p.issuer.siren}` : ''}`,
    createdAt: p.createdAt,
  };
}
