import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { AppError } from '../../errors.js';
import type { LetterContent, PostalAddress, SenderIdentity } from '../channel.js';
import { A4, ADDRESS_BLOCK, MARGIN, mm } from './layout.js';
import { formatIban, longFrenchDate, toWinAnsi, unencodable } from './text.js';

export interface LetterFonts {
  /** TrueType/OpenType file path or bytes, embedded (subset) in the PDF. */
  regular: string | Buffer;
  bold: string | Buffer;
}

export interface LetterRenderInput {
  sender: SenderIdentity;
  recipient: PostalAddress;
  letter: LetterContent;
  /** Needed only for scripts beyond WinAnsi (Polish, Turkish, Greek…): Helvetica covers French. */
  fonts?: LetterFonts;
  /** Fixed creation date in the PDF metadata, so the same letter renders to the same bytes. */
  createdAt?: Date;
}

export interface RenderedLetter {
  pdf: Buffer;
  pages: number;
  sha256: string;
}

const BODY_SIZE = 10.5;
const SMALL = 8.5;
const CONTENT_WIDTH = mm(A4.widthMm - MARGIN.leftMm - MARGIN.rightMm);

const COLUMNS = [
  { title: 'Facture n°', widthMm: 38, align: 'left' as const },
  { title: 'Date', widthMm: 26, align: 'left' as const },
  { title: 'Échéance', widthMm: 26, align: 'left' as const },
  { title: 'Montant TTC', widthMm: 40, align: 'right' as const },
  { title: 'Solde dû', widthMm: 40, align: 'right' as const },
];

/** Lines of the recipient block, NF Z10-011 style: the last line "POSTCODE CITY" in capitals. */
export function addressLines(a: PostalAddress): string[] {
  const lines = [
    a.name,
    ...a.lines.filter((l) => l.trim() !== ''),
    `${a.postalCode} ${a.city.toUpperCase()}`,
  ];
  if (a.country && a.country.toUpperCase() !== 'FR') lines.push(countryName(a.country));
  return lines.map((l) => l.trim());
}

function countryName(code: string): string {
  try {
    return (
      new Intl.DisplayNames(['fr-FR'], { type: 'region' }).of(code.toUpperCase()) ?? code
    ).toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}

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
  const t = input.fonts ? (s: string) => s : toWinAnsi;
  const doc = new PDFDocument({
    size: 'A4',
    margins: {
      top: mm(MARGIN.topMm),
      bottom: mm(MARGIN.bottomMm),
      left: mm(MARGIN.leftMm),
      right: mm(MARGIN.rightMm),
    },
    bufferPages: true,
    info: {
      Title: t(letter.subject),
      Author: t(sender.name),
      Creator: 'Relance',
      CreationDate: input.createdAt ?? new Date(`${letter.date}T00:00:00Z`),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  let regular = 'Helvetica';
  let bold = 'Helvetica-Bold';
  if (input.fonts) {
    doc.registerFont('Letter', input.fonts.regular);
    doc.registerFont('Letter-Bold', input.fonts.bold);
    regular = 'Letter';
    bold = 'Letter-Bold';
  }
  const left = mm(MARGIN.leftMm);

  // Letterhead, top left, kept clear of the window (which starts at 90 mm).
  doc
    .font(bold)
    .fontSize(13)
    .text(t(sender.name), left, mm(MARGIN.topMm), { width: mm(65) });
  doc.font(regular).fontSize(SMALL);
  const head: string[] = [];
  if (sender.address) head.push(...addressLines(sender.address).slice(1));
  if (sender.siren) head.push(`SIREN ${sender.siren.replace(/(\d{3})(?=\d)/g, '$1 ')}`);
  if (sender.phone) head.push(`Tél. ${sender.phone}`);
  if (sender.email) head.push(sender.email);
  if (sender.website) head.push(sender.website);
  doc.text(t(head.join('\n')), { width: mm(65) });

  // Recipient block inside the envelope window; shrink the type rather than wrap a line.
  const lines = addressLines(recipient).map(t);
  let size = 11;
  doc.font(regular);
  while (
    size > 8 &&
    Math.max(...lines.map((l) => doc.fontSize(size).widthOfString(l))) > mm(ADDRESS_BLOCK.widthMm)
  ) {
    size -= 0.5;
  }
  doc.fontSize(size).text(lines.join('\n'), mm(ADDRESS_BLOCK.xMm), mm(ADDRESS_BLOCK.yMm), {
    width: mm(ADDRESS_BLOCK.widthMm),
    height: mm(ADDRESS_BLOCK.heightMm),
    lineBreak: false,
  });

  // Place and date under the window, the registered-mail mention on the left.
  doc
    .font(regular)
    .fontSize(BODY_SIZE)
    .text(t(`${letter.place}, le ${longFrenchDate(letter.date)}`), mm(ADDRESS_BLOCK.xMm), mm(100), {
      width: mm(ADDRESS_BLOCK.widthMm),
    });
  if (letter.registered) {
    doc
      .font(bold)
      .fontSize(SMALL)
      .text('Lettre recommandée avec accusé de réception', left, mm(100), { width: mm(70) });
  }
  doc
    .font(bold)
    .fontSize(BODY_SIZE)
    .text(t(`Objet : ${letter.subject.replace(/^Objet\s*:\s*/i, '')}`), left, mm(112), {
      width: CONTENT_WIDTH,
    });
  doc.moveDown(1);

  doc.font(regular).fontSize(BODY_SIZE);
  for (const paragraph of letter.body.split(/\n\s*\n/)) {
    // Single newlines are kept: rendered templates put invoice and IBAN lines one per line.
    const p = paragraph
      .split('\n')
      .map((l) => l.trim())
      .join('\n')
      .trim();
    if (!p) continue;
    doc.text(t(p), left, doc.y, { width: CONTENT_WIDTH, align: 'justify' });
    doc.moveDown(0.6);
  }

  if (letter.items && letter.items.length > 0) drawItems(doc, letter, { regular, bold, t });

  if (letter.payment && (letter.payment.iban || letter.payment.reference)) {
    doc.moveDown(0.8);
    ensureSpace(doc, mm(25));
    doc.font(bold).fontSize(BODY_SIZE).text('Modalités de règlement', left, doc.y, { width: CONTENT_WIDTH });
    doc.font(regular).fontSize(BODY_SIZE);
    const pay: string[] = [];
    if (letter.payment.iban)
      pay.push(`Virement sur le compte${letter.payment.holder ? ` de ${letter.payment.holder}` : ''} :`);
    if (letter.payment.iban) pay.push(`IBAN ${formatIban(letter.payment.iban)}`);
    if (letter.payment.bic) pay.push(`BIC ${letter.payment.bic.toUpperCase()}`);
    if (letter.payment.reference) pay.push(`Référence à rappeler : ${letter.payment.reference}`);
    doc.text(t(pay.join('\n')), left, doc.y, { width: CONTENT_WIDTH });
  }

  if (letter.signature) {
    doc.moveDown(2);
    ensureSpace(doc, mm(25));
    const x = mm(120);
    doc
      .font(regular)
      .fontSize(BODY_SIZE)
      .text(t(letter.signature.name), x, doc.y, { width: mm(70) });
    if (letter.signature.title) doc.text(t(letter.signature.title), x, doc.y, { width: mm(70) });
  }

  // Footer on every page: legal identity and page count, so a page lost from the envelope shows.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const footer = [sender.name, sender.siren ? `SIREN ${sender.siren}` : '', `Page ${i + 1}/${range.count}`]
      .filter(Boolean)
      .join(' · ');
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the margin must not trigger a page break
    doc
      .font(regular)
      .fontSize(7.5)
      .fillColor('#555555')
      .text(t(footer), left, mm(A4.heightMm - 12), {
        width: CONTENT_WIDTH,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
    doc.fillColor('black');
  }
  doc.end();
  const pdf = await done;
  return { pdf, pages: range.count, sha256: createHash('sha256').update(pdf).digest('hex') };
}

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function drawItems(
  doc: PDFKit.PDFDocument,
  letter: LetterContent,
  f: { regular: string; bold: string; t: (s: string) => string },
): void {
  const left = mm(MARGIN.leftMm);
  const rowHeight = 15;
  const drawHeader = () => {
    let x = left;
    const y = doc.y;
    doc.font(f.bold).fontSize(9);
    for (const c of COLUMNS) {
      doc.text(f.t(c.title), x + 2, y + 3, { width: mm(c.widthMm) - 4, align: c.align, lineBreak: false });
      x += mm(c.widthMm);
    }
    doc
      .moveTo(left, y + rowHeight)
      .lineTo(left + CONTENT_WIDTH, y + rowHeight)
      .lineWidth(0.8)
      .stroke();
    doc.y = y + rowHeight + 2;
  };
  doc.moveDown(0.4);
  ensureSpace(doc, rowHeight * 3);
  drawHeader();
  doc.font(f.regular).fontSize(9);
  for (const item of letter.items ?? []) {
    if (doc.y + rowHeight > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      drawHeader();
      doc.font(f.regular).fontSize(9);
    }
    const y = doc.y;
    const cells = [
      item.invoiceNumber,
      frenchShortDate(item.issueDate),
      frenchShortDate(item.dueDate),
      item.amount,
      item.balance,
    ];
    let x = left;
    COLUMNS.forEach((c, i) => {
      doc.text(f.t(cells[i] ?? ''), x + 2, y + 2, {
        width: mm(c.widthMm) - 4,
        align: c.align,
        lineBreak: false,
      });
      x += mm(c.widthMm);
    });
    doc
      .moveTo(left, y + rowHeight - 1)
      .lineTo(left + CONTENT_WIDTH, y + rowHeight - 1)
      .lineWidth(0.3)
      .strokeColor('#999999')
      .stroke()
      .strokeColor('black');
    doc.y = y + rowHeight;
  }
  if (letter.total) {
    ensureSpace(doc, rowHeight);
    const y = doc.y + 3;
    const labelWidth = CONTENT_WIDTH - mm(40);
    doc.font(f.bold).fontSize(10);
    doc.text('Total restant dû', left, y, { width: labelWidth - 4, align: 'right', lineBreak: false });
    doc.text(f.t(letter.total), left + labelWidth + 2, y, {
      width: mm(40) - 4,
      align: 'right',
      lineBreak: false,
    });
    doc.y = y + rowHeight;
    doc.x = left;
  }
}

/** 'YYYY-MM-DD' → 'DD/MM/YYYY'; anything else is printed as given. */
function frenchShortDate(d: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : d;
}
