/**
 * Page geometry for A4 letters folded in three for a French windowed envelope (DL
 * 110 × 220 mm, or C5 162 × 229 mm with the same window). The window is 45 × 100 mm, its
 * right side 20 mm from the right edge of the sheet and its top 45 mm below the top edge
 * (La Poste's "fenêtre" recommendation, NF Z10-011 for the address block). The recipient
 * block is set 5 mm inside it so that the letter can slide a few millimetres in the
 * envelope and the address still shows in full.
 */
export const MM = 72 / 25.4;

export const A4 = { widthMm: 210, heightMm: 297 } as const;

export const ENVELOPE_WINDOW = {
  widthMm: 100,
  heightMm: 45,
  rightMm: 20,
  topMm: 45,
  get leftMm() {
    return A4.widthMm - this.rightMm - this.widthMm; // 90 mm
  },
  get bottomMm() {
    return this.topMm + this.heightMm; // 90 mm
  },
} as const;

export const ADDRESS_BLOCK = {
  insetMm: 5,
  get xMm() {
    return ENVELOPE_WINDOW.leftMm + this.insetMm; // 95 mm
  },
  get yMm() {
    return ENVELOPE_WINDOW.topMm + this.insetMm; // 50 mm
  },
  get widthMm() {
    return ENVELOPE_WINDOW.widthMm - 2 * this.insetMm; // 90 mm
  },
  get heightMm() {
    return ENVELOPE_WINDOW.heightMm - 2 * this.insetMm; // 35 mm
  },
  /** NF Z10-011: at most 6 lines of at most 38 characters. */
  maxLines: 6,
  maxLineLength: 38,
} as const;

export const MARGIN = { leftMm: 20, rightMm: 20, topMm: 15, bottomMm: 20 } as const;

export const mm = (v: number) => v * MM;
