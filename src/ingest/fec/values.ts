/**
 * Values of a FEC field. Amounts: comma or dot decimals, optional sign, leading zeros and
 * padding ("+000000069,40", "-1060.4", "1 234,56"); at most two decimals, read exactly
 * (strings to integer cents, never through a float). Dates: AAAAMMJJ as the article
 * requires, and JJ/MM/AAAA or AAAA-MM-JJ which some packages write.
 */
export type AmountResult = { ok: true; minor: number } | { ok: false; reason: string };
export type DateResult = { ok: true; value: string | null } | { ok: false; reason: string };

const AMOUNT = /^([+-])?(\d{1,15})(?:[.,](\d{1,2}))?$/;

export function parseFecAmount(raw: string): AmountResult {
  const s = raw.replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return { ok: true, minor: 0 };
  // A thousands separator is only accepted as the other mark before a final decimal one.
  let t = s;
  if (/^[+-]?\d{1,3}(\.\d{3})+,\d{1,2}$/.test(t)) t = t.replaceAll('.', '');
  else if (/^[+-]?\d{1,3}(,\d{3})+\.\d{1,2}$/.test(t)) t = t.replaceAll(',', '');
  const m = AMOUNT.exec(t);
  if (!m) return { ok: false, reason: 'not an amount (digits with at most two decimals after , or .)' };
  const units = Number(m[2]);
  const cents = Number((m[3] ?? '0').padEnd(2, '0'));
  const minor = units * 100 + cents;
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: 'amount too large' };
  return { ok: true, minor: m[1] === '-' ? -minor : minor };
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days && y >= 1900 && y <= 2200;
}

export function parseFecDate(raw: string): DateResult {
  const s = raw.trim();
  if (s === '') return { ok: true, value: null };
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  let y: number;
  let mo: number;
  let d: number;
  if (m) {
    y = Number(m[1]);
    mo = Number(m[2]);
    d = Number(m[3]);
  } else {
    m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
    if (!m) return { ok: false, reason: 'not a date (expected AAAAMMJJ)' };
    d = Number(m[1]);
    mo = Number(m[2]);
    y = Number(m[3]);
  }
  if (!validDate(y, mo, d)) return { ok: false, reason: 'not a calendar date' };
  return {
    ok: true,
    value: `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  };
}
