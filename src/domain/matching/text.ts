import { isValidCreditorReference, normalizeCreditorReference } from '../sepa/index.js';

/** "F-2024-118", "f 2024/118", "F2024118" all become "F2024118". */
export function compactInvoiceNumber(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/** Labels people put before an invoice number, sometimes glued to it ("FACTF2024118", "N°118"). */
const LABELS = [
  'FACTURES',
  'FACTURE',
  'FACTNO',
  'FACT',
  'FAC',
  'INVOICES',
  'INVOICE',
  'INVNO',
  'INV',
  'RECHNUNG',
  'RE',
  'NO',
  'NR',
  'N',
  'REF',
];

/**
 * Candidate invoice numbers in free remittance text, compacted: every token, every run of two
 * or three adjacent tokens ("F 2024 118"), and each with a leading label removed. Tokens are
 * split on spaces and list punctuation only, so "F-2024-118" stays one token.
 */
export function invoiceNumberCandidates(text: string): Set<string> {
  const tokens = text
    .split(/[\s,;:+&()[\]{}"'|]+/)
    .map(compactInvoiceNumber)
    .filter((t) => t.length > 0);
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    let joined = '';
    for (let n = 0; n < 3 && i + n < tokens.length; n++) {
      joined += tokens[i + n];
      out.add(joined);
      for (const label of LABELS) {
        if (joined.length > label.length && joined.startsWith(label)) out.add(joined.slice(label.length));
      }
    }
  }
  return out;
}

/** RF references typed into free text, possibly grouped by four ("RF18 5390 0754 7034"). */
export function creditorReferencesInText(text: string): string[] {
  const found: string[] = [];
  const pattern = /RF\s?[0-9]{2}(?:\s?[A-Z0-9]){1,21}/gi;
  for (const match of text.matchAll(pattern)) {
    // The greedy match may have swallowed the next word; the longest valid prefix wins.
    let candidate = normalizeCreditorReference(match[0]);
    while (candidate.length >= 5 && !isValidCreditorReference(candidate)) candidate = candidate.slice(0, -1);
    if (candidate.length >= 5) found.push(candidate);
  }
  return found;
}

const LEGAL_FORMS = new Set([
  'SARL',
  'SAS',
  'SASU',
  'SA',
  'EURL',
  'SCI',
  'SNC',
  'SCOP',
  'SELARL',
  'EI',
  'GMBH',
  'AG',
  'KG',
  'UG',
  'LTD',
  'LIMITED',
  'LLC',
  'INC',
  'PLC',
  'BV',
  'NV',
  'SPRL',
  'SRL',
  'SPA',
  'CO',
  'ET',
  'CIE',
  'THE',
  'LES',
  'LE',
  'LA',
  'DE',
  'DU',
  'DES',
  'M',
  'MME',
  'MLLE',
  'MR',
  'MRS',
  'MS',
  'STE',
  'SOCIETE',
]);

/** Significant words of a name: no accents, no case, no legal forms or civilities. */
export function nameTokens(name: string): Set<string> {
  return new Set(
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase()
      .split(/[^A-Z0-9]+/)
      // Single letters are initials or noise; single digits tell "Lot 1" from "Lot 2".
      .filter((t) => (t.length > 1 || /[0-9]/.test(t)) && !LEGAL_FORMS.has(t)),
  );
}

/** Every word of the shorter name is in the longer one. */
export function nameTokensMatch(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const t of small) if (!large.has(t)) return false;
  return true;
}

/**
 * Whether a bank's debtor name designates the customer: every significant word of one is in
 * the other, ignoring accents, case, order and legal forms ("SARL Dupont" ~ "DUPONT").
 */
export function namesMatch(customerName: string, debtorName: string): boolean {
  return nameTokensMatch(nameTokens(customerName), nameTokens(debtorName));
}

/**
 * Loose keys of an invoice number, for payers who drop the prefix or the zero padding:
 * "F-2026-0001", "2026/1", "F2026-1" and "FACT 2026 0001" share "2026.1"; "F20260001" and
 * "F-2026-0001" share "~20260001". Keys with fewer than 3 significant digits are not made.
 */
export function looseInvoiceKeys(value: string): string[] {
  const groups = value.match(/[0-9]+/g) ?? [];
  if (groups.length === 0) return [];
  const unpadded = groups.map((g) => g.replace(/^0+(?=[0-9])/, ''));
  const out: string[] = [];
  const grouped = unpadded.join('.');
  if (grouped.replace(/\./g, '').length >= 3) out.push(grouped);
  const flat = groups.join('').replace(/^0+(?=[0-9])/, '');
  if (flat.length >= 5) out.push(`~${flat}`);
  return out;
}

/** Loose keys of every token and pair of adjacent tokens of a remittance text. */
export function looseNumberCandidates(text: string): Set<string> {
  const tokens = text.split(/[\s,;:+&()[\]{}"'|]+/).filter((t) => /[0-9]/.test(t));
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    for (const k of looseInvoiceKeys(tokens[i] ?? '')) out.add(k);
    const next = tokens[i + 1];
    if (next && /^[0-9]+$/.test(next)) for (const k of looseInvoiceKeys(`${tokens[i]} ${next}`)) out.add(k);
  }
  return out;
}

/** At most one edit (insertion, deletion, substitution, or swap of neighbours) apart. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  if (la === lb) {
    let first = -1;
    let diffs = 0;
    for (let i = 0; i < la; i++) {
      if (a[i] !== b[i]) {
        if (++diffs > 2) return false;
        if (first < 0) first = i;
      }
    }
    if (diffs === 1) return true;
    return (
      a[first] === b[first + 1] &&
      a[first + 1] === b[first] &&
      first + 1 < la &&
      a.slice(first + 2) === b.slice(first + 2)
    );
  }
  const [s, l] = la < lb ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}
