import type { FecLine } from './read-fec.js';

/**
 * From FEC lines to receivables (decision 027): pure, fed line by line so a file of a million
 * lines keeps only its receivable lines and a few counters in memory.
 *
 * - Receivable lines: account starting with one of the receivable prefixes (411 by default).
 *   The customer is the auxiliary account (CompAuxNum/CompAuxLib) when there is one, else the
 *   individual account (411xxx/CompteLib).
 * - Journals are typed from their content over the whole file: opening ("à nouveaux": code
 *   AN/RAN/ANO or a label with "nouveau"), sales (more class-7 lines than class-5 lines), bank
 *   (class-5 lines), other. `salesJournals`/`openingJournals` override the guess.
 * - A debit on a receivable account is an invoice (from a sales journal), an opening item
 *   (opening journal) or another debit item (a rejected cheque, a refund): all are owed.
 *   A credit is a credit note in a sales journal and a payment elsewhere.
 * - Lettering: lines of one customer sharing a letter (case-insensitive) form a group; the
 *   group's credits are allocated to its debits oldest first. A group that does not balance
 *   is partial lettering: what is left stays open on the invoice or as unallocated credit.
 */
export type FecItemKind = 'invoice' | 'credit_note' | 'payment';
export type JournalType = 'opening' | 'sales' | 'bank' | 'other';

export interface LedgerOptions {
  receivablePrefixes: string[];
  salesJournals?: string[];
  openingJournals?: string[];
}

export interface LedgerCustomer {
  ref: string;
  name: string;
  account: string;
  /** Debit minus credit of every line of the customer: what the books say is owed. */
  balanceMinor: number;
  /** Debit minus credit of the unlettered lines only. */
  unletteredMinor: number;
  lines: number;
}

export interface LedgerItem {
  /** Stable across exports of the same books: journal, entry number, account, auxiliary, rank. */
  key: string;
  kind: FecItemKind;
  customerRef: string;
  pieceRef: string;
  /** Invoice or credit-note number (the piece reference, made unique), or payment reference. */
  number: string;
  date: string;
  /** DateRglt when the file has it. */
  dueDate: string | null;
  amountMinor: number;
  letter: string | null;
  journal: string;
  journalType: JournalType;
  line: number;
  description: string;
  modeRglt: string;
}

export interface LedgerAllocation {
  debitKey: string;
  creditKey: string;
  amountMinor: number;
}

export interface SkippedLine {
  line: number;
  reason: string;
}

export interface UnbalancedEntry {
  journal: string;
  ecritureNum: string;
  /** Debit minus credit of the entry. */
  differenceMinor: number;
}

export interface Ledger {
  customers: LedgerCustomer[];
  items: LedgerItem[];
  allocations: LedgerAllocation[];
  skipped: SkippedLine[];
  unbalanced: UnbalancedEntry[];
  journals: Record<string, JournalType>;
  lastDate: string | null;
  totals: { debitMinor: number; creditMinor: number; lines: number; receivableLines: number };
  partialGroups: number;
}

interface JournalStats {
  lib: string;
  class5: number;
  class7: number;
}

const OPENING_CODES = new Set(['AN', 'RAN', 'ANO', 'ANX', 'AN0']);

export class LedgerBuilder {
  private readonly receivable: FecLine[] = [];
  private readonly journals = new Map<string, JournalStats>();
  /** Entry sums keyed by journal + number, and by number alone (some packages, e.g. Agrigest,
   * number entries across journals and put the counterpart in another journal). */
  private readonly byJournalNum = new Map<string, number>();
  private readonly byNum = new Map<string, number>();
  private lastDate: string | null = null;
  private debit = 0;
  private credit = 0;
  private lines = 0;

  constructor(private readonly opts: LedgerOptions) {}

  add(l: FecLine): void {
    this.lines++;
    this.debit += l.debitMinor;
    this.credit += l.creditMinor;
    const net = l.debitMinor - l.creditMinor;
    const jn = `${l.journalCode}\u0000${l.ecritureNum}`;
    this.byJournalNum.set(jn, (this.byJournalNum.get(jn) ?? 0) + net);
    this.byNum.set(l.ecritureNum, (this.byNum.get(l.ecritureNum) ?? 0) + net);
    let j = this.journals.get(l.journalCode);
    if (!j) {
      j = { lib: l.journalLib, class5: 0, class7: 0 };
      this.journals.set(l.journalCode, j);
    }
    const c = l.compteNum.charAt(0);
    if (c === '5') j.class5++;
    else if (c === '7') j.class7++;
    if (this.lastDate === null || l.ecritureDate > this.lastDate) this.lastDate = l.ecritureDate;
    if (this.opts.receivablePrefixes.some((p) => l.compteNum.startsWith(p))) this.receivable.push(l);
  }

  private journalType(code: string): JournalType {
    const up = code.toUpperCase();
    if (this.opts.openingJournals?.some((j) => j.toUpperCase() === up)) return 'opening';
    if (this.opts.salesJournals?.some((j) => j.toUpperCase() === up)) return 'sales';
    const s = this.journals.get(code);
    if (!this.opts.openingJournals && (OPENING_CODES.has(up) || /nouveau/i.test(s?.lib ?? '')))
      return 'opening';
    if (!s) return 'other';
    if (!this.opts.salesJournals && s.class7 > s.class5) return 'sales';
    if (s.class5 > 0) return 'bank';
    return 'other';
  }

  build(): Ledger {
    const journals: Record<string, JournalType> = {};
    for (const code of this.journals.keys()) journals[code] = this.journalType(code);

    // An entry is unbalanced when it does not balance by journal + number, nor by number alone.
    const unbalanced: UnbalancedEntry[] = [];
    for (const [k, net] of this.byJournalNum) {
      if (net === 0) continue;
      const [journal = '', num = ''] = k.split('\u0000');
      if ((this.byNum.get(num) ?? 0) === 0) continue;
      unbalanced.push({ journal, ecritureNum: num, differenceMinor: net });
    }

    const customers = new Map<string, LedgerCustomer>();
    const items: LedgerItem[] = [];
    const skipped: SkippedLine[] = [];
    const rank = new Map<string, number>();
    for (const l of this.receivable) {
      const ref = l.compAuxNum !== '' ? l.compAuxNum : l.compteNum;
      const name = (l.compAuxNum !== '' ? l.compAuxLib : l.compteLib) || ref;
      let c = customers.get(ref);
      if (!c) {
        c = { ref, name, account: l.compteNum, balanceMinor: 0, unletteredMinor: 0, lines: 0 };
        customers.set(ref, c);
      }
      const net = l.debitMinor - l.creditMinor;
      c.balanceMinor += net;
      c.lines++;
      if (l.ecritureLet === '') c.unletteredMinor += net;
      const base = `${l.journalCode}:${l.ecritureNum}:${l.compteNum}:${l.compAuxNum}`;
      const k = (rank.get(base) ?? 0) + 1;
      rank.set(base, k);
      if (net === 0) {
        skipped.push({
          line: l.line,
          reason: 'zero amount on a receivable account: nothing is owed or paid',
        });
        continue;
      }
      const journalType = journals[l.journalCode] ?? 'other';
      const kind: FecItemKind = net > 0 ? 'invoice' : journalType === 'sales' ? 'credit_note' : 'payment';
      items.push({
        key: `${base}:${k}`,
        kind,
        customerRef: ref,
        pieceRef: l.pieceRef,
        number: '',
        date: kind === 'payment' ? l.ecritureDate : (l.pieceDate ?? l.ecritureDate),
        dueDate: l.dateRglt,
        amountMinor: Math.abs(net),
        letter: l.ecritureLet === '' ? null : l.ecritureLet.toUpperCase(),
        journal: l.journalCode,
        journalType,
        line: l.line,
        description: l.ecritureLib,
        modeRglt: l.modeRglt,
      });
    }
    numberItems(items);
    const { allocations, partialGroups } = allocateLettering(items);
    return {
      customers: [...customers.values()],
      items,
      allocations,
      skipped,
      unbalanced,
      journals,
      lastDate: this.lastDate,
      totals: {
        debitMinor: this.debit,
        creditMinor: this.credit,
        lines: this.lines,
        receivableLines: this.receivable.length,
      },
      partialGroups,
    };
  }
}

/**
 * Invoice and credit-note numbers are the piece reference when it names one item of its kind
 * in the file; otherwise (several lines share it, or it is empty) journal and entry number are
 * added so every number is unique and the same in every export of the same books.
 */
function numberItems(items: LedgerItem[]): void {
  const uses = new Map<string, number>();
  for (const it of items) {
    const k = `${it.kind}\u0000${it.pieceRef}`;
    uses.set(k, (uses.get(k) ?? 0) + 1);
  }
  // Rank of an item among the items of its kind in its entry, in file order.
  const rankInEntry = new Map<string, number>();
  for (const it of items) {
    const [journal = '', num = ''] = it.key.split(':');
    const e = `${it.kind}\u0000${journal}\u0000${num}`;
    const k = (rankInEntry.get(e) ?? 0) + 1;
    rankInEntry.set(e, k);
    const suffix = `${journal} ${num}${k === 1 ? '' : `/${k}`}`;
    if (it.kind === 'payment') {
      it.number = `FEC ${suffix}`;
      continue;
    }
    const ref = it.pieceRef;
    const unique = ref !== '' && uses.get(`${it.kind}\u0000${ref}`) === 1;
    it.number = unique ? ref : ref === '' ? suffix : `${ref} (${suffix})`;
  }
}

function allocateLettering(items: LedgerItem[]): {
  allocations: LedgerAllocation[];
  partialGroups: number;
} {
  const groups = new Map<string, LedgerItem[]>();
  for (const it of items) {
    if (it.letter === null) continue;
    const g = `${it.customerRef}\u0000${it.letter}`;
    const list = groups.get(g);
    if (list) list.push(it);
    else groups.set(g, [it]);
  }
  const allocations: LedgerAllocation[] = [];
  let partialGroups = 0;
  const byAge = (a: LedgerItem, b: LedgerItem) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.line - b.line;
  for (const list of groups.values()) {
    const debits = list.filter((i) => i.kind === 'invoice').sort(byAge);
    const credits = list.filter((i) => i.kind !== 'invoice').sort(byAge);
    const dSum = debits.reduce((s, i) => s + i.amountMinor, 0);
    const cSum = credits.reduce((s, i) => s + i.amountMinor, 0);
    if (dSum !== cSum) partialGroups++;
    let di = 0;
    let ci = 0;
    let dLeft = debits[0]?.amountMinor ?? 0;
    let cLeft = credits[0]?.amountMinor ?? 0;
    while (di < debits.length && ci < credits.length) {
      const d = debits[di];
      const c = credits[ci];
      if (!d || !c) break;
      const amount = Math.min(dLeft, cLeft);
      if (amount > 0) allocations.push({ debitKey: d.key, creditKey: c.key, amountMinor: amount });
      dLeft -= amount;
      cLeft -= amount;
      if (dLeft === 0) dLeft = debits[++di]?.amountMinor ?? 0;
      if (cLeft === 0) cLeft = credits[++ci]?.amountMinor ?? 0;
    }
  }
  return { allocations, partialGroups };
}
