import { AppError } from '../../errors.js';
import type { LetterContent, PostalAddress, SenderIdentity } from '../channel.js';
import {
  CONTENT_WIDTH,
  type EmbeddedFonts,
  ensureSpace,
  type ItemColumn,
  itemsTable,
  type RenderedPdf,
  startPdf,
} from './document-pdf.js';
import { ADDRESS_BLOCK, mm } from './layout.js';
import { addressLines, letterhead, placeAndDate, windowAddress } from './letterhead.js';
import { formatIban, longFrenchDate, unencodable } from './text.js';

export { addressLines } from './letterhead.js';
export type LetterFonts = EmbeddedFonts;

export interface LetterRenderInput {
  sender: SenderIdentity;
  recipient: PostalAddress;
  letter: LetterContent;
  /** Needed only for scripts beyond WinAnsi (Polish, Turkish, Greek…): Helvetica covers French. */
  fonts?: LetterFonts;
  /** Fixed creation date in the PDF metadata, so the same letter renders to the same bytes. */
  createdAt?: Date;
}

export type RenderedLetter = RenderedPdf;

const BODY_SIZE = 10.5;

const COLUMNS: ItemColumn[] = [
  { title: 'Facture n°', widthMm: 38, align: 'left' },
  { title: 'Date', widthMm: 26, align: 'left' },
  { title: 'Échéance', widthMm: 26, align: 'left' },
  { title: 'Montant TTC', widthMm: 40, align: 'right' },
  { title: 'Solde dû', widthMm: 40, align: 'right' },
];

function allText(input: LetterRenderInput): string {
  const { sender, recipient, letter } = input;
  return [
    sender.name,
    ...(sender.address ? addressLines(sender.address) : []),
    sender.phone ?? '',
    sender.email ?? '',
    sender.website ?? '',
    ...addressLines(recipient),
    letter.place,
    letter.subject,
    letter.body,
    ...(letter.items ?? []).flatMap((i) => [i.invoiceNumber, i.issueDate, i.dueDate, i.amount, i.balance]),
    letter.total ?? '',
    letter.payment?.holder ?? '',
    letter.payment?.reference ?? '',
    letter.signature?.name ?? '',
    letter.signature?.title ?? '',
  ].join('\n');
}

function validate(input: LetterRenderInput): void {
  const lines = addressLines(input.recipient);
  if (lines.length > ADDRESS_BLOCK.maxLines) {
    throw new AppError(
      'VALIDATION',
      `recipient address has ${lines.length} lines, at most 6 fit the window`,
      [{ field: 'recipient.address', reason: 'NF Z10-011 allows 6 lines' }],
    );
  }
  if (!input.fonts) {
    const bad = unencodable(allText(input));
    if (bad.length > 0) {
      throw new AppError(
        'VALIDATION',
        `letter holds characters the standard font cannot print: ${bad.join(' ')}`,
        [
          {
            field: 'letter',
            value: bad.join(''),
            reason: 'outside WinAnsi: configure an embedded Unicode font',
          },
        ],
      );
    }
  }
}

export async function renderLetterPdf(input: LetterRenderInput): Promise<RenderedLetter> {
  validate(input);
  const { sender, recipient, letter } = input;
  const { page: p, finish } = startPdf({
    title: letter.subject,
    author: sender.name,
    createdAt: input.createdAt ?? new Date(`${letter.date}T00:00:00Z`),
    // validate() has refused what the standard fonts cannot print, with the letter's own error.
    strict: true,
    fonts: input.fonts,
  });
  const { doc } = p;

  const head: string[] = [];
  if (sender.address) head.push(...addressLines(sender.address).slice(1));
  if (sender.siren) head.push(`SIREN ${sender.siren.replace(/(\d{3})(?=\d)/g, '$1 ')}`);
  if (sender.phone) head.push(`Tél. ${sender.phone}`);
  if (sender.email) head.push(sender.email);
  if (sender.website) head.push(sender.website);
  letterhead(p, { name: sender.name, lines: head, nameSize: 13, widthMm: 65, logo: letter.logo });
  windowAddress(p, recipient);
  placeAndDate(p, `${letter.place}, le ${longFrenchDate(letter.date)}`, letter.registered === true);
  doc
    .font(p.bold)
    .fontSize(BODY_SIZE)
    .text(p.t(`Objet : ${letter.subject.replace(/^Objet\s*:\s*/i, '')}`), p.left, mm(112), {
      width: CONTENT_WIDTH,
    });
  doc.moveDown(1);

  doc.font(p.regular).fontSize(BODY_SIZE);
  for (const paragraph of letter.body.split(/\n\s*\n/)) {
    // Single newlines are kept: rendered templates put invoice and IBAN lines one per line.
    const text = paragraph
      .split('\n')
      .map((l) => l.trim())
      .join('\n')
      .trim();
    if (!text) continue;
    doc.text(p.t(text), p.left, doc.y, { width: CONTENT_WIDTH, align: 'justify' });
    doc.moveDown(0.6);
  }

  if (letter.items && letter.items.length > 0) {
    doc.moveDown(0.4);
    itemsTable(
      p,
      COLUMNS,
      letter.items.map((item) => [
        item.invoiceNumber,
        frenchShortDate(item.issueDate),
        frenchShortDate(item.dueDate),
        item.amount,
        item.balance,
      ]),
      { rules: true, total: letter.total ? { label: 'Total restant dû', value: letter.total } : undefined },
    );
  }

  if (letter.payment && (letter.payment.iban || letter.payment.reference)) {
    doc.moveDown(0.8);
    ensureSpace(p, mm(25));
    doc
      .font(p.bold)
      .fontSize(BODY_SIZE)
      .text('Modalités de règlement', p.left, doc.y, { width: CONTENT_WIDTH });
    doc.font(p.regular).fontSize(BODY_SIZE);
    const pay: string[] = [];
    if (letter.payment.iban)
      pay.push(`Virement sur le compte${letter.payment.holder ? ` de ${letter.payment.holder}` : ''} :`);
    if (letter.payment.iban) pay.push(`IBAN ${formatIban(letter.payment.iban)}`);
    if (letter.payment.bic) pay.push(`BIC ${letter.payment.bic.toUpperCase()}`);
    if (letter.payment.reference) pay.push(`Référence à rappeler : ${letter.payment.reference}`);
    doc.text(p.t(pay.join('\n')), p.left, doc.y, { width: CONTENT_WIDTH });
  }

  if (letter.signature) {
    doc.moveDown(2);
    ensureSpace(p, mm(25));
    const x = mm(120);
    doc
      .font(p.regular)
      .fontSize(BODY_SIZE)
      .text(p.t(letter.signature.name), x, doc.y, { width: mm(70) });
    if (letter.signature.title) doc.text(p.t(letter.signature.title), x, doc.y, { width: mm(70) });
  }

  // Legal identity and page count on every page, so a page lost from the envelope shows.
  return finish((page, count) =>
    [sender.name, sender.siren ? `SIREN ${sender.siren}` : '', `Page ${page}/${count}`]
      .filter(Boolean)
      .join(' · '),
  );
}

/** 'YYYY-MM-DD' → 'DD/MM/YYYY'; anything else is printed as given. */
function frenchShortDate(d: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : d;
}
