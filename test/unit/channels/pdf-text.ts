import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfTextItem {
  page: number;
  str: string;
  /** Millimetres from the left edge and from the TOP edge of the page (PDF y is from the bottom). */
  xMm: number;
  topMm: number;
  heightMm: number;
}

const PT_TO_MM = 25.4 / 72;

/** Text of a PDF as pdf.js reads it, with positions, for layout and content assertions. */
export async function readPdf(pdf: Buffer): Promise<{ pages: number; items: PdfTextItem[]; text: string[] }> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, verbosity: 0 }).promise;
  const items: PdfTextItem[] = [];
  const text: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const height = page.view[3] ?? 0;
    const content = await page.getTextContent();
    const lines = new Map<number, string[]>();
    for (const it of content.items) {
      if (!('str' in it) || it.str === '') continue;
      const x = it.transform[4] as number;
      const y = it.transform[5] as number;
      items.push({
        page: p,
        str: it.str,
        xMm: x * PT_TO_MM,
        topMm: (height - y) * PT_TO_MM,
        heightMm: it.height * PT_TO_MM,
      });
      const key = Math.round(y);
      lines.set(key, [...(lines.get(key) ?? []), it.str]);
    }
    for (const [, parts] of [...lines.entries()].sort((a, b) => b[0] - a[0])) text.push(parts.join(' '));
  }
  await doc.destroy();
  return { pages: items.length ? Math.max(...items.map((i) => i.page)) : 0, items, text };
}

/** pdf.js returns no-break spaces as they are: compare on plain spaces. */
export const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** How many images each page paints, as pdf.js reads them (a logo is one image XObject). */
export async function imagesPerPage(pdf: Buffer): Promise<number[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, verbosity: 0 }).promise;
  const counts: number[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const ops = await (await doc.getPage(p)).getOperatorList();
    counts.push(ops.fnArray.filter((fn) => fn === OPS.paintImageXObject).length);
  }
  await doc.destroy();
  return counts;
}
