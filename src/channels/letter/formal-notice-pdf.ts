import type { FormalNotice, NoticeParty } from '../../domain/law/formal-notice.js';
import type { InterestLine } from '../../domain/law/types.js';
import { formatMoney, type Money } from '../../domain/money/index.js';
import { type Column, ensureSpace, paragraph, type RenderedPdf, startPdf, table } from './document-pdf.js';
import { mm } from './layout.js';
import { letterhead, placeAndDate, windowAddress } from './letterhead.js';
import { formatIban, longFrenchDate } from './text.js';

export interface FormalNoticePdfInput {
  notice: FormalNotice;
  /** The customer's reference at the creditor, printed under the subject. */
  customerRef: string;
  /** ISO country of the debtor: a foreign one is printed on the last address line. */
  debtorCountry?: string;
  /** Town the letter is written from (the creditor's city). */
  place: string;
  payment?: { iban?: string | null; bic?: string | null; holder?: string };
  contact?: { phone?: string | null; email?: string | null };
  /** The creditor's logo (PNG or JPEG), drawn in the letterhead. */
  logo?: Buffer | null;
}

const COLUMNS: Column[] = [
  { title: 'Facture n°', widthMm: 25 },
  { title: 'Émise le', widthMm: 18 },
  { title: 'Échue le', widthMm: 18 },
  { title: 'Montant réclamé', widthMm: 23, align: 'right' },
  { title: 'Paiements reçus', widthMm: 20, align: 'right' },
  { title: 'Principal dû', widthMm: 23, align: 'right' },
  { title: 'Pénalités', widthMm: 21, align: 'right' },
  { title: 'Indemnité', widthMm: 22, align: 'right' },
];

const eur = (m: Money) => formatMoney(m, 'fr-FR');
const short = (d: string) => d.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');

function partyLines(p: NoticeParty): string[] {
  return [
    ...p.addressLines,
    [p.postalCode, p.city].filter(Boolean).join(' '),
    p.siren ? `SIREN ${p.siren.replace(/(\d{3})(?=\d)/g, '$1 ')}` : '',
    p.vatNumber ? `TVA intracommunautaire ${p.vatNumber}` : '',
  ].filter((l) => l.trim() !== '');
}

/** "2025-S2 : 12,15 % (taux BCE + 10 points)": each half-year's rate, as the engine chose it. */
export function rateSummary(lines: InterestLine[]): string[] {
  const kindText: Record<InterestLine['rateKind'], string> = {
    statutory: 'taux légal applicable',
    contractual: 'taux contractuel',
    floor: "plancher de 3 fois le taux d'intérêt légal",
  };
  const seen = new Map<string, string>();
  for (const l of lines) {
    const label = l.period.replace('-H', '-S');
    if (!seen.has(label))
      seen.set(label, `${label} : ${l.ratePct.replace('.', ',')} % (${kindText[l.rateKind]})`);
  }
  return [...seen.values()];
}

/**
 * The mise en demeure as a windowed-envelope letter: the creditor's letterhead, the debtor
 * in the window, the invoices with principal, penalties and indemnity to the letter's date,
 * the deadline, the consequences and the legal references. Figures come from the law
 * engine (FormalNotice); this file only lays them out.
 */
export async function renderFormalNoticePdf(input: FormalNoticePdfInput): Promise<RenderedPdf> {
  const n = input.notice;
  const { page: p, finish } = startPdf({
    title: `${n.title} – ${n.debtor.name}`,
    author: n.creditor.name,
    createdAt: new Date(`${n.date}T00:00:00Z`),
    strict: true,
  });
  const { doc } = p;

  const head = partyLines(n.creditor);
  if (input.contact?.phone) head.push(`Tél. ${input.contact.phone}`);
  if (input.contact?.email) head.push(input.contact.email);
  letterhead(p, { name: n.creditor.name, lines: head, nameSize: 13, widthMm: 68, logo: input.logo });
  windowAddress(p, {
    name: n.debtor.name,
    lines: n.debtor.addressLines,
    postalCode: n.debtor.postalCode,
    city: n.debtor.city,
    ...(input.debtorCountry ? { country: input.debtorCountry } : {}),
  });
  placeAndDate(p, `${input.place ? `${input.place}, le` : 'Le'} ${longFrenchDate(n.date)}`, true);

  doc
    .font(p.bold)
    .fontSize(11)
    .text(p.t(`Objet : ${n.title.toUpperCase()}`), p.left, mm(110), { width: p.width });
  const debtorId = [
    `Débiteur : ${n.debtor.name}`,
    n.debtor.siren ? `SIREN ${n.debtor.siren.replace(/(\d{3})(?=\d)/g, '$1 ')}` : '',
    n.debtor.vatNumber ? `TVA ${n.debtor.vatNumber}` : '',
    `référence client ${input.customerRef}`,
  ]
    .filter(Boolean)
    .join(' – ');
  doc.font(p.regular).fontSize(9).text(p.t(debtorId), p.left, doc.y, { width: p.width });
  doc.moveDown(0.8);

  paragraph(p, 'Madame, Monsieur,', { size: 10.5 });
  paragraph(
    p,
    `${n.opening} Nous en détaillons le principal restant dû ainsi que les pénalités de retard et l'indemnité forfaitaire pour frais de recouvrement calculées au ${longFrenchDate(n.date)}.`,
    { size: 10.5, align: 'justify' },
  );

  table(
    p,
    COLUMNS,
    [
      // The totals follow as a block under the table.
      ...n.invoices.map((i) => ({
        cells: [
          i.invoiceNumber,
          short(i.issueDate),
          short(i.dueDate),
          eur(i.statement.principal),
          eur({
            amount: i.statement.payments.reduce((a, x) => a + x.amount.amount, 0),
            currency: i.principal.currency,
          }),
          eur(i.principal),
          eur(i.interest),
          eur(i.indemnity),
        ],
      })),
    ],
    { size: 8 },
  );

  const totals: [string, string][] = [['Principal restant dû', eur(n.totals.principal)]];
  if (n.totals.interest.amount > 0)
    totals.push([`Pénalités de retard au ${short(n.date)}`, eur(n.totals.interest)]);
  if (n.totals.indemnity.amount > 0)
    totals.push(['Indemnité forfaitaire pour frais de recouvrement', eur(n.totals.indemnity)]);
  totals.push(['Total à régler', eur(n.totals.total)]);
  ensureSpace(p, 14 * (totals.length + 1));
  for (const [label, value] of totals) {
    const y = doc.y;
    const bold = label === 'Total à régler';
    doc.font(bold ? p.bold : p.regular).fontSize(10);
    doc.text(p.t(label), p.left, y, { width: p.width - mm(40), align: 'right' });
    doc.text(p.t(value), p.left + p.width - mm(38), y, { width: mm(38), align: 'right' });
    doc.y = Math.max(doc.y, y + 13);
  }
  doc.x = p.left;
  doc.moveDown(0.6);

  const lines = n.invoices.flatMap((i) => i.statement.lines);
  if (n.debtor.kind === 'b2b' && lines.length > 0) {
    paragraph(
      p,
      `Les pénalités courent de plein droit dès le lendemain de la date d'échéance (art. L441-10 C. com.), au taux de la Banque centrale européenne majoré de 10 points, ou au taux contractuel s'il est au moins égal à trois fois le taux d'intérêt légal. Taux appliqués : ${rateSummary(lines).join(' ; ')}. L'indemnité forfaitaire de 40 € par facture est due de plein droit (art. D441-5 C. com.). Les intérêts sont simples, calculés au jour le jour (nombre de jours / 365).`,
      { size: 9, align: 'justify' },
    );
  }

  if (n.invoices.some((i) => i.statement.payments.some((x) => x.toInterest.amount > 0))) {
    paragraph(
      p,
      "Vos paiements partiels ont été imputés d'abord sur les intérêts échus, puis sur le principal (art. 1343-1 C. civ.) : c'est pourquoi le principal restant dû excède le montant réclamé diminué des paiements reçus.",
      { size: 9, align: 'justify' },
    );
  }

  paragraph(
    p,
    `Par la présente, nous vous mettons en demeure de nous régler la somme de ${eur(n.totals.total)} au plus tard le ${longFrenchDate(n.deadline)} (art. 1344 C. civ.).`,
    { size: 10.5, bold: true, align: 'justify' },
  );
  for (const c of n.consequences) paragraph(p, c, { size: 9.5, align: 'justify' });
  paragraph(p, `Références : ${n.legalReferences.join(' ; ')}.`, { size: 8 });

  const pay = input.payment;
  if (pay?.iban) {
    ensureSpace(p, mm(12));
    paragraph(
      p,
      [
        `Règlement par virement sur le compte${pay.holder ? ` de ${pay.holder}` : ''}, en rappelant la référence ${input.customerRef} :`,
        [`IBAN ${formatIban(pay.iban)}`, ...(pay.bic ? [`BIC ${pay.bic.toUpperCase()}`] : [])].join(' – '),
      ].join('\n'),
      { size: 10 },
    );
  }

  // The closing and the signature stay together on one page.
  ensureSpace(p, mm(18));
  paragraph(p, 'Veuillez agréer, Madame, Monsieur, nos salutations distinguées.', { size: 10.5 });
  doc.moveDown(0.5);
  doc
    .font(p.regular)
    .fontSize(10.5)
    .text(p.t(n.creditor.name), mm(120), doc.y, { width: mm(70) });
  doc.x = p.left;

  return finish((page, count) =>
    [
      n.creditor.name,
      n.creditor.siren ? `SIREN ${n.creditor.siren}` : '',
      'Mise en demeure',
      `Page ${page}/${count}`,
    ]
      .filter(Boolean)
      .join(' · '),
  );
}
