/**
 * Lettrage back to the accounts: the allocations of a period as payment entries the
 * accountant imports. Each payment is one entry (bank debit, customer credits per invoice),
 * each credit lettered with a code the invoice's entry in the accounts receives too. Codes are
 * derived from the payments' order in the period (date, then reference), so exporting the
 * same period twice gives the same file.
 */
export interface LettragePayment {
  paymentId: string;
  paymentReference: string;
  receivedOn: string;
  currency: string;
  amountMinor: number;
  customerRef: string;
  customerName: string;
  allocations: { invoiceNumber: string; invoiceDate: string; amountMinor: number }[];
  writeOffs: { invoiceNumber: string; amountMinor: number; reason: string }[];
}

export interface LettrageAccounts {
  bank: string;
  customers: string;
  writeOff: string;
  journal: string;
}

export const DEFAULT_ACCOUNTS: LettrageAccounts = {
  bank: '512000',
  customers: '411000',
  writeOff: '627000',
  journal: 'BQ',
};

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** 0 → AAA, 1 → AAB… (three letters, as accounting software letters by default). */
export function letteringCode(n: number): string {
  let v = n;
  let out = '';
  for (let i = 0; i < 3; i++) {
    out = LETTERS[v % 26] + out;
    v = Math.floor(v / 26);
  }
  return v > 0 ? `${out}${v}` : out;
}

const amount = (minor: number) =>
  `${Math.trunc(minor / 100)},${String(Math.abs(minor) % 100).padStart(2, '0')}`;
const fecDate = (iso: string) => iso.replaceAll('-', '');
const clean = (s: string) => s.replace(/[\t|\r\n;]/g, ' ').trim();

export interface LettrageLine {
  entry: number;
  date: string;
  account: string;
  auxiliary: string;
  auxiliaryName: string;
  piece: string;
  pieceDate: string;
  label: string;
  debitMinor: number;
  creditMinor: number;
  letter: string;
  currency: string;
}

export function lettrageLines(
  payments: readonly LettragePayment[],
  accounts: LettrageAccounts = DEFAULT_ACCOUNTS,
): LettrageLine[] {
  const ordered = [...payments].sort(
    (a, b) =>
      a.receivedOn.localeCompare(b.receivedOn) || a.paymentReference.localeCompare(b.paymentReference),
  );
  const out: LettrageLine[] = [];
  let letters = 0;
  ordered.forEach((p, i) => {
    const entry = i + 1;
    const customer = {
      entry,
      date: p.receivedOn,
      currency: p.currency,
      auxiliary: p.customerRef,
      auxiliaryName: p.customerName,
    };
    const general = { ...customer, auxiliary: '', auxiliaryName: '' };
    out.push({
      ...general,
      account: accounts.bank,
      piece: p.paymentReference,
      pieceDate: p.receivedOn,
      label: `Règlement ${p.customerName}`,
      debitMinor: p.amountMinor,
      creditMinor: 0,
      letter: '',
    });
    const codes = new Map<string, string>();
    for (const a of p.allocations) {
      const letter = letteringCode(letters++);
      codes.set(a.invoiceNumber, letter);
      out.push({
        ...customer,
        account: accounts.customers,
        piece: a.invoiceNumber,
        pieceDate: a.invoiceDate,
        label: `Règlement facture ${a.invoiceNumber}`,
        debitMinor: 0,
        creditMinor: a.amountMinor,
        letter,
      });
    }
    for (const w of p.writeOffs) {
      // The difference letters with the invoice it closes.
      const letter = codes.get(w.invoiceNumber) ?? letteringCode(letters++);
      out.push({
        ...general,
        account: accounts.writeOff,
        piece: w.invoiceNumber,
        pieceDate: p.receivedOn,
        label: `Écart de règlement (${w.reason}) ${w.invoiceNumber}`,
        debitMinor: w.amountMinor,
        creditMinor: 0,
        letter: '',
      });
      out.push({
        ...customer,
        account: accounts.customers,
        piece: w.invoiceNumber,
        pieceDate: p.receivedOn,
        label: `Écart de règlement ${w.invoiceNumber}`,
        debitMinor: 0,
        creditMinor: w.amountMinor,
        letter,
      });
    }
    const unallocated = p.amountMinor - p.allocations.reduce((s, a) => s + a.amountMinor, 0);
    if (unallocated > 0)
      out.push({
        ...customer,
        account: accounts.customers,
        piece: p.paymentReference,
        pieceDate: p.receivedOn,
        label: 'Avoir client (trop-perçu)',
        debitMinor: 0,
        creditMinor: unallocated,
        letter: '',
      });
  });
  return out;
}

/** The entries as CSV (semicolon, French decimals), one row per entry line. */
export function lettrageCsv(lines: readonly LettrageLine[]): string {
  const head =
    'ecriture;date;compte;compte_auxiliaire;tiers;piece;date_piece;libelle;debit;credit;lettrage;devise';
  const rows = lines.map((l) =>
    [
      l.entry,
      l.date,
      l.account,
      l.auxiliary,
      clean(l.auxiliaryName),
      clean(l.piece),
      l.pieceDate,
      clean(l.label),
      amount(l.debitMinor),
      amount(l.creditMinor),
      l.letter,
      l.currency,
    ].join(';'),
  );
  return `${[head, ...rows].join('\n')}\n`;
}

/** FEC-style payment entries (the 18 columns of art. A47 A-1 LPF), tab-separated. */
export function lettrageFec(
  lines: readonly LettrageLine[],
  period: string,
  accounts: LettrageAccounts = DEFAULT_ACCOUNTS,
): string {
  const head = [
    'JournalCode',
    'JournalLib',
    'EcritureNum',
    'EcritureDate',
    'CompteNum',
    'CompteLib',
    'CompAuxNum',
    'CompAuxLib',
    'PieceRef',
    'PieceDate',
    'EcritureLib',
    'Debit',
    'Credit',
    'EcritureLet',
    'DateLet',
    'ValidDate',
    'Montantdevise',
    'Idevise',
  ].join('\t');
  const label = (account: string) =>
    account === accounts.bank ? 'Banque' : account === accounts.customers ? 'Clients' : 'Écarts de règlement';
  const rows = lines.map((l) =>
    [
      accounts.journal,
      'Banque',
      `${period}-${String(l.entry).padStart(6, '0')}`,
      fecDate(l.date),
      l.account,
      label(l.account),
      l.auxiliary,
      clean(l.auxiliaryName),
      clean(l.piece),
      fecDate(l.pieceDate),
      clean(l.label),
      amount(l.debitMinor),
      amount(l.creditMinor),
      l.letter,
      l.letter ? fecDate(l.date) : '',
      '',
      '',
      l.currency === 'EUR' ? '' : l.currency,
    ].join('\t'),
  );
  return `${[head, ...rows].join('\n')}\n`;
}
