/**
 * The 14 standard PDF fonts use WinAnsiEncoding (PDF 32000-1 Annex D.2): Latin-1 plus € œ Œ
 * ’ “ ” – — … and a few others in 0x80–0x9F. French text fits, once the narrow no-break
 * space Intl puts in "1 234,56 €" (U+202F) becomes a plain no-break space.
 */
const WIN_ANSI_EXTRA = new Set(Array.from('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'));

export function isWinAnsi(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || c === 0x0a || WIN_ANSI_EXTRA.has(ch);
}

const REPLACEMENTS: Record<string, string> = {
  '\u202f': '\u00a0',
  '\u2009': ' ',
  '\u2007': '\u00a0',
  '\u2011': '-',
  '\u2010': '-',
  '\t': ' ',
  '\r': '',
};

export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) out += REPLACEMENTS[ch] ?? ch;
  return out;
}

/** Characters a standard font cannot print (they would come out as garbage). */
export function unencodable(text: string): string[] {
  const bad = new Set<string>();
  for (const ch of toWinAnsi(text)) if (!isWinAnsi(ch)) bad.add(ch);
  return [...bad];
}

const MONTH_FMT = new Intl.DateTimeFormat('fr-FR', { month: 'long', timeZone: 'UTC' });

/** 'YYYY-MM-DD' → "25 novembre 2026", "1er mars 2026" (French ordinal for the first). */
export function longFrenchDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`not an ISO date: ${isoDate}`);
  const [, y, mo, d] = m;
  const day = Number(d);
  const month = MONTH_FMT.format(new Date(Date.UTC(Number(y), Number(mo) - 1, 1)));
  return `${day === 1 ? '1er' : day} ${month} ${y}`;
}

/** "FR76 3000 6000 0112 3456 7890 189": IBANs are printed in groups of four (ISO 13616). */
export function formatIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ');
}
