import type { PostalAddress } from '../channel.js';
import type { PdfPage } from './document-pdf.js';
import { ADDRESS_BLOCK, MARGIN, mm } from './layout.js';

/**
 * The top of the first page, the same on every PDF: the organisation's logo (when it has
 * uploaded one), its name and identity lines on the left, kept clear of the envelope
 * window; the recipient inside the window; the place and date under it.
 */

/** The logo is scaled to fit this box, keeping its proportions; it never grows the letterhead. */
export const LOGO_BOX = { widthMm: 45, heightMm: 18, gapMm: 3 } as const;

/**
 * Draws the logo at the top left and moves the cursor under its box, so what follows the
 * logo starts at the same place whatever the image's proportions. No logo, no change.
 */
export function drawLogo(p: PdfPage, logo: Buffer | null | undefined): void {
  if (!logo) return;
  const top = mm(MARGIN.topMm);
  p.doc.image(logo, p.left, top, { fit: [mm(LOGO_BOX.widthMm), mm(LOGO_BOX.heightMm)] });
  p.doc.x = p.left;
  p.doc.y = top + mm(LOGO_BOX.heightMm + LOGO_BOX.gapMm);
}

export function letterhead(
  p: PdfPage,
  h: {
    name: string;
    lines: string[];
    nameSize: number;
    widthMm: number;
    logo?: Buffer | null | undefined;
  },
): void {
  drawLogo(p, h.logo);
  const y = h.logo ? p.doc.y : mm(MARGIN.topMm);
  p.doc
    .font(p.bold)
    .fontSize(h.nameSize)
    .text(p.t(h.name), p.left, y, { width: mm(h.widthMm) });
  p.doc
    .font(p.regular)
    .fontSize(8.5)
    .text(p.t(h.lines.join('\n')), { width: mm(h.widthMm) });
}

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

/** The recipient inside the envelope window; the type shrinks rather than wrap a line. */
export function windowAddress(p: PdfPage, address: PostalAddress): void {
  const { doc } = p;
  const lines = addressLines(address).map(p.t);
  let size = 11;
  doc.font(p.regular);
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
}

/** "Paris, le 25 novembre 2026" under the window; the registered-mail mention on the left. */
export function placeAndDate(p: PdfPage, text: string, registered: boolean): void {
  p.doc
    .font(p.regular)
    .fontSize(10.5)
    .text(p.t(text), mm(ADDRESS_BLOCK.xMm), mm(100), { width: mm(ADDRESS_BLOCK.widthMm) });
  if (registered) {
    p.doc
      .font(p.bold)
      .fontSize(8.5)
      .text('Lettre recommandée avec accusé de réception', p.left, mm(100), { width: mm(70) });
  }
}
