import type { DisputeReasonCode } from '../../db/schema/dunning.js';

/** The reasons a debtor can pick; the same list as the disputes.reason_code check. */
export const DISPUTE_REASON_CODES = [
  'not_received',
  'quality',
  'price',
  'quantity',
  'already_paid',
  'duplicate',
  'contract',
  'other',
] as const satisfies readonly DisputeReasonCode[];

export const MAX_DISPUTE_COMMENT = 2000;

/**
 * Keep a debtor's comment as text: trimmed, line breaks and tabs kept, other control
 * characters dropped. It is stored as typed and escaped by whatever renders it (HTML, PDF).
 */
export function cleanComment(comment: string | undefined | null): string | null {
  if (comment === undefined || comment === null) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const cleaned = comment.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  return cleaned === '' ? null : cleaned;
}
