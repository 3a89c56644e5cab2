import {
  CONTENT_WIDTH,
  ensureSpace,
  type ItemColumn,
  itemsTable,
  type RenderedPdf,
  startPdf,
} from '../letter/document-pdf.js';
import { MARGIN, mm } from '../letter/layout.js';
import { letterhead } from '../letter/letterhead.js';

/**
 * A plain A4 document: a heading block, sections of paragraphs and tables, a footer with the
 * page count. Used for what the portal lets the debtor download (payment plan agreement,
 * statement of account, invoice summary). Standard Helvetica: French text fits WinAnsi.
 */
export type DocumentColumn = ItemColumn;

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

export type RenderedDocument = RenderedPdf;

const ROW = 15;

/** `logo`: the organisation's logo (PNG or JPEG), drawn above the issuer. */
export async function renderDocumentPdf(
  spec: DocumentSpec,
  logo: Buffer | null = null,
): Promise<RenderedDocument> {
  const [issuerName, ...issuerRest] = spec.issuer;
  const { page: p, finish } = startPdf({
    title: spec.title,
    author: issuerName ?? '',
    createdAt: spec.createdAt,
    strict: false,
  });
  const { doc } = p;
  const top = mm(MARGIN.topMm);
  letterhead(p, { name: issuerName ?? '', lines: issuerRest, nameSize: 12, widthMm: 85, logo });
  const afterIssuer = doc.y;
  doc
    .font(p.regular)
    .fontSize(9.5)
    .text(p.t(spec.recipient.join('\n')), mm(110), top, { width: mm(80) });
  doc.y = Math.max(afterIssuer, doc.y) + mm(10);
  doc.font(p.bold).fontSize(14).text(p.t(spec.title), p.left, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.8);

  for (const s of spec.sections) {
    if (s.heading) {
      ensureSpace(p, ROW * 3);
      doc.font(p.bold).fontSize(10.5).text(p.t(s.heading), p.left, doc.y, { width: CONTENT_WIDTH });
      doc.moveDown(0.3);
    }
    doc.font(p.regular).fontSize(10);
    for (const text of s.paragraphs ?? []) {
      doc.text(p.t(text), p.left, doc.y, { width: CONTENT_WIDTH, align: 'justify' });
      doc.moveDown(0.5);
    }
    if (s.table) itemsTable(p, s.table.columns, s.table.rows, { total: s.table.total });
    doc.moveDown(0.6);
  }

  return finish((page, count) => `${spec.footer} · Page ${page}/${count}`);
}
