import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { A4, MARGIN, mm } from '../letter/layout.js';
import { toWinAnsi } from '../letter/text.js';

/**
 * A plain A4 document: a heading block, sections of paragraphs and tables, a footer with the
 * page count. Used for what the portal lets the debtor download (payment plan agreement,
 * statement of account, invoice summary). Standard Helvetica: French text fits WinAnsi.
 */
export interface DocumentColumn {
  title: string;
  widthMm: number;
  align: 'left' | 'right';
}

export interface DocumentSection {
  heading?: string;
  paragraphs?: string[];
  table?: { columns: DocumentColumn[]; rows: string[][]; total?: { label: string; value: string } };
}

export interface DocumentSpec {
  title: string;
  /** Top-left lines: the issuer (creditor) identity. */
  issuer: string[];
  /** Top-right lines: who the document is for, and its date. */
  recipient: string[];
  sections: DocumentSection[];
  footer: string;
  /** Fixed creation date in the PDF metadata: the same content renders to the same bytes. */
  createdAt: Date;
}

export interface RenderedDocument {
  pdf: Buffer;
  pages: number;
  sha256: string;
}

const CONTENT_WIDTH = mm(A4.widthMm - MARGIN.leftMm - MARGIN.rightMm);
const ROW = 15;

export async function renderDocumentPdf(spec: DocumentSpec): Promise<RenderedDocument> {
  const t = toWinAnsi;
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
      Title: t(spec.title),
      Author: t(spec.issuer[0] ?? ''),
      Creator: 'Relance',
      CreationDate: spec.createdAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = mm(MARGIN.leftMm);
  const top = mm(MARGIN.topMm);
  const [issuerName, ...issuerRest] = spec.issuer;
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(t(issuerName ?? ''), left, top, { width: mm(85) });
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .text(t(issuerRest.join('\n')), { width: mm(85) });
  const afterIssuer = doc.y;
  doc
    .font('Helvetica')
    .fontSize(9.5)
    .text(t(spec.recipient.join('\n')), mm(110), top, { width: mm(80) });
  doc.y = Math.max(afterIssuer, doc.y) + mm(10);
  doc.font('Helvetica-Bold').fontSize(14).text(t(spec.title), left, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.8);

  for (const s of spec.sections) {
    if (s.heading) {
      ensureSpace(doc, ROW * 3);
      doc.font('Helvetica-Bold').fontSize(10.5).text(t(s.heading), left, doc.y, { width: CONTENT_WIDTH });
      doc.moveDown(0.3);
    }
    doc.font('Helvetica').fontSize(10);
    for (const p of s.paragraphs ?? []) {
      doc.text(t(p), left, doc.y, { width: CONTENT_WIDTH, align: 'justify' });
      doc.moveDown(0.5);
    }
    if (s.table) drawTable(doc, s.table);
    doc.moveDown(0.6);
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the margin must not trigger a page break
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor('#555555')
      .text(t(`${spec.footer} · Page ${i + 1}/${range.count}`), left, mm(A4.heightMm - 12), {
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

function drawTable(doc: PDFKit.PDFDocument, table: NonNullable<DocumentSection['table']>): void {
  const left = mm(MARGIN.leftMm);
  const t = toWinAnsi;
  const header = () => {
    const y = doc.y;
    let x = left;
    doc.font('Helvetica-Bold').fontSize(9);
    for (const c of table.columns) {
      doc.text(t(c.title), x + 2, y + 3, { width: mm(c.widthMm) - 4, align: c.align, lineBreak: false });
      x += mm(c.widthMm);
    }
    doc
      .moveTo(left, y + ROW)
      .lineTo(left + CONTENT_WIDTH, y + ROW)
      .lineWidth(0.8)
      .stroke();
    doc.y = y + ROW + 2;
    doc.font('Helvetica').fontSize(9);
  };
  ensureSpace(doc, ROW * 3);
  header();
  for (const row of table.rows) {
    if (doc.y + ROW > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    let x = left;
    table.columns.forEach((c, i) => {
      doc.text(t(row[i] ?? ''), x + 2, y + 2, { width: mm(c.widthMm) - 4, align: c.align, lineBreak: false });
      x += mm(c.widthMm);
    });
    doc.y = y + ROW;
  }
  if (table.total) {
    ensureSpace(doc, ROW);
    const y = doc.y + 3;
    const last = table.columns[table.columns.length - 1];
    const valueWidth = mm(last?.widthMm ?? 40);
    doc.font('Helvetica-Bold').fontSize(10);
    doc.text(t(table.total.label), left, y, {
      width: CONTENT_WIDTH - valueWidth - 4,
      align: 'right',
      lineBreak: false,
    });
    doc.text(t(table.total.value), left + CONTENT_WIDTH - valueWidth + 2, y, {
      width: valueWidth - 4,
      align: 'right',
      lineBreak: false,
    });
    doc.y = y + ROW;
  }
  doc.x = left;
}
