import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { AppError } from '../../errors.js';
import { A4, MARGIN, mm } from './layout.js';
import { toWinAnsi, unencodable } from './text.js';

/**
 * The shared layout of every PDF Relance prints (dunning letters, formal notice, escalation
 * file, portal documents) on the letters' A4 geometry: the page set-up and fonts, a footer
 * with the page count on every page, ensureSpace, paragraphs, headings and two kinds of
 * tables (wrapping cells, or one-line item rows with a total). The letterhead, the logo and
 * the windowed-envelope address block are in letterhead.ts. Deterministic: the same input
 * (and `createdAt`) gives the same bytes, so a document's SHA-256 means something.
 */
export interface PdfPage {
  doc: PDFKit.PDFDocument;
  regular: string;
  bold: string;
  mono: string;
  /** Text as the standard fonts can print it (see text.ts). */
  t: (s: string) => string;
  left: number;
  width: number;
}

export interface RenderedPdf {
  pdf: Buffer;
  pages: number;
  sha256: string;
}

export interface Column {
  title: string;
  widthMm: number;
  align?: 'left' | 'right';
}

export const CONTENT_WIDTH = mm(A4.widthMm - MARGIN.leftMm - MARGIN.rightMm);

export interface EmbeddedFonts {
  /** TrueType/OpenType file path or bytes, embedded (subset) in the PDF. */
  regular: string | Buffer;
  bold: string | Buffer;
}

/**
 * `strict`: a character the standard fonts cannot print is an error (a letter must not
 * misprint a name). Otherwise it prints as "?" (internal working documents). With embedded
 * `fonts` (scripts beyond WinAnsi) text is printed as given.
 */
export function startPdf(opts: {
  title: string;
  author: string;
  createdAt: Date;
  strict: boolean;
  fonts?: EmbeddedFonts | undefined;
}): {
  page: PdfPage;
  finish(footer: (page: number, count: number) => string): Promise<RenderedPdf>;
} {
  const t = (s: string) => {
    if (opts.fonts) return s;
    const text = toWinAnsi(s);
    const bad = unencodable(text);
    if (bad.length === 0) return text;
    if (opts.strict) {
      // Not the request's fault: the ledger holds a name or address the fonts cannot print.
      throw new AppError(
        'UNPROCESSABLE',
        `document holds characters the standard font cannot print: ${bad.join(' ')}`,
        [{ field: 'text', value: bad.join(''), reason: 'outside WinAnsi' }],
      );
    }
    let out = '';
    for (const ch of text) out += bad.includes(ch) ? '?' : ch;
    return out;
  };
  const doc = new PDFDocument({
    size: 'A4',
    margins: {
      top: mm(MARGIN.topMm),
      bottom: mm(MARGIN.bottomMm),
      left: mm(MARGIN.leftMm),
      right: mm(MARGIN.rightMm),
    },
    bufferPages: true,
    info: { Title: t(opts.title), Author: t(opts.author), Creator: 'Relance', CreationDate: opts.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (opts.fonts) {
    doc.registerFont('Embedded', opts.fonts.regular);
    doc.registerFont('Embedded-Bold', opts.fonts.bold);
  }
  const page: PdfPage = {
    doc,
    regular: opts.fonts ? 'Embedded' : 'Helvetica',
    bold: opts.fonts ? 'Embedded-Bold' : 'Helvetica-Bold',
    mono: 'Courier',
    t,
    left: mm(MARGIN.leftMm),
    width: CONTENT_WIDTH,
  };
  return {
    page,
    async finish(footer) {
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        const bottom = doc.page.margins.bottom;
        doc.page.margins.bottom = 0; // writing inside the margin must not add a page
        doc
          .font(page.regular)
          .fontSize(7.5)
          .fillColor('#555555')
          .text(t(footer(i + 1, range.count)), page.left, mm(A4.heightMm - 12), {
            width: page.width,
            align: 'center',
            lineBreak: false,
          });
        doc.page.margins.bottom = bottom;
        doc.fillColor('black');
      }
      doc.end();
      const pdf = await done;
      return { pdf, pages: range.count, sha256: createHash('sha256').update(pdf).digest('hex') };
    },
  };
}

export function ensureSpace(p: PdfPage, needed: number): void {
  if (p.doc.y + needed > p.doc.page.height - p.doc.page.margins.bottom) p.doc.addPage();
}

export function heading(p: PdfPage, text: string, size = 12): void {
  p.doc.moveDown(0.8);
  ensureSpace(p, size * 4);
  p.doc.font(p.bold).fontSize(size).text(p.t(text), p.left, p.doc.y, { width: p.width });
  p.doc.moveDown(0.3);
}

export function paragraph(
  p: PdfPage,
  text: string,
  opts: { size?: number; bold?: boolean; align?: 'left' | 'justify' } = {},
): void {
  p.doc
    .font(opts.bold ? p.bold : p.regular)
    .fontSize(opts.size ?? 10)
    .text(p.t(text), p.left, p.doc.y, { width: p.width, align: opts.align ?? 'left' });
  p.doc.moveDown(0.4);
}

/** "Label : value" lines, the label in bold. */
export function fields(p: PdfPage, rows: [string, string][], size = 9.5): void {
  for (const [label, value] of rows) {
    ensureSpace(p, size * 2);
    p.doc
      .font(p.bold)
      .fontSize(size)
      .text(p.t(`${label} : `), p.left, p.doc.y, { width: p.width, continued: true })
      .font(p.regular)
      .text(p.t(value));
  }
  p.doc.moveDown(0.4);
}

/**
 * A table whose cells wrap inside their column; the header repeats on each new page.
 * `bold` rows (totals) are printed in bold.
 */
export function table(
  p: PdfPage,
  columns: Column[],
  rows: { cells: string[]; bold?: boolean }[],
  opts: { size?: number; font?: 'regular' | 'mono' } = {},
): void {
  const size = opts.size ?? 8.5;
  const pad = 2;
  const { doc } = p;
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(size);
    return (
      Math.max(
        ...columns.map((c, i) => doc.heightOfString(p.t(cells[i] ?? ''), { width: mm(c.widthMm) - 2 * pad })),
      ) +
      2 * pad
    );
  };
  const drawRow = (cells: string[], font: string, lineWidth: number) => {
    const h = rowHeight(cells, font);
    const y = doc.y;
    let x = p.left;
    doc.font(font).fontSize(size);
    columns.forEach((c, i) => {
      doc.text(p.t(cells[i] ?? ''), x + pad, y + pad, {
        width: mm(c.widthMm) - 2 * pad,
        align: c.align ?? 'left',
      });
      x += mm(c.widthMm);
    });
    const tableWidth = columns.reduce((a, c) => a + mm(c.widthMm), 0);
    doc
      .moveTo(p.left, y + h)
      .lineTo(p.left + tableWidth, y + h)
      .lineWidth(lineWidth)
      .strokeColor(lineWidth < 0.5 ? '#999999' : 'black')
      .stroke()
      .strokeColor('black');
    doc.y = y + h;
  };
  const header = columns.map((c) => c.title);
  ensureSpace(p, rowHeight(header, p.bold) * 2.5);
  drawRow(header, p.bold, 0.8);
  const bodyFont = opts.font === 'mono' ? p.mono : p.regular;
  for (const row of rows) {
    const font = row.bold ? p.bold : bodyFont;
    if (doc.y + rowHeight(row.cells, font) > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      drawRow(header, p.bold, 0.8);
    }
    drawRow(row.cells, font, 0.3);
  }
  doc.x = p.left;
  doc.moveDown(0.6);
}

export interface ItemColumn {
  title: string;
  widthMm: number;
  align: 'left' | 'right';
}

const ITEM_ROW = 15;

/**
 * One-line rows of fixed height (invoice lists in letters and portal documents); the header
 * repeats after a page break. `rules` draws a hairline under each row; `total` is printed
 * in bold under the last column.
 */
export function itemsTable(
  p: PdfPage,
  columns: ItemColumn[],
  rows: string[][],
  opts: { rules?: boolean; total?: { label: string; value: string } | undefined } = {},
): void {
  const { doc } = p;
  const header = () => {
    const y = doc.y;
    let x = p.left;
    doc.font(p.bold).fontSize(9);
    for (const c of columns) {
      doc.text(p.t(c.title), x + 2, y + 3, { width: mm(c.widthMm) - 4, align: c.align, lineBreak: false });
      x += mm(c.widthMm);
    }
    doc
      .moveTo(p.left, y + ITEM_ROW)
      .lineTo(p.left + p.width, y + ITEM_ROW)
      .lineWidth(0.8)
      .stroke();
    doc.y = y + ITEM_ROW + 2;
    doc.font(p.regular).fontSize(9);
  };
  ensureSpace(p, ITEM_ROW * 3);
  header();
  for (const row of rows) {
    if (doc.y + ITEM_ROW > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    let x = p.left;
    columns.forEach((c, i) => {
      doc.text(p.t(row[i] ?? ''), x + 2, y + 2, {
        width: mm(c.widthMm) - 4,
        align: c.align,
        lineBreak: false,
      });
      x += mm(c.widthMm);
    });
    if (opts.rules) {
      doc
        .moveTo(p.left, y + ITEM_ROW - 1)
        .lineTo(p.left + p.width, y + ITEM_ROW - 1)
        .lineWidth(0.3)
        .strokeColor('#999999')
        .stroke()
        .strokeColor('black');
    }
    doc.y = y + ITEM_ROW;
  }
  if (opts.total) {
    ensureSpace(p, ITEM_ROW);
    const y = doc.y + 3;
    const valueWidth = mm(columns[columns.length - 1]?.widthMm ?? 40);
    doc.font(p.bold).fontSize(10);
    doc.text(p.t(opts.total.label), p.left, y, {
      width: p.width - valueWidth - 4,
      align: 'right',
      lineBreak: false,
    });
    doc.text(p.t(opts.total.value), p.left + p.width - valueWidth + 2, y, {
      width: valueWidth - 4,
      align: 'right',
      lineBreak: false,
    });
    doc.y = y + ITEM_ROW;
  }
  doc.x = p.left;
}
