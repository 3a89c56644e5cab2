import { normalizeCreditorReference, normalizeIban } from '../sepa/index.js';
import { compactInvoiceNumber, looseInvoiceKeys, nameTokens, nameTokensMatch } from './text.js';
import type { CustomerIdentity, MatchingContext, OpenInvoice } from './types.js';

/** Customers sharing a word beyond which the word is too common to search by. */
const COMMON_WORD = 50;
/**
 * When every word of the payer's name is common, at most this many customers are compared
 * word by word; beyond it only an exact name identifies the payer. Without the bound a large
 * ledger ("Boulangerie Martin" among 100,000 customers) costs thousands of comparisons a line.
 */
const SCAN_LIMIT = 300;

const nameKey = (tokens: Set<string>) => [...tokens].sort().join(' ');

interface IssuedReference {
  customerId: string;
  invoiceIds?: string[];
}

/**
 * Lookup tables built once per matching run, so that each bank line costs a few map reads
 * instead of a pass over every invoice and customer (a statement of thousands of lines
 * against tens of thousands of open invoices stays well under a second).
 * Remaining balances live here too: they change as automatic matches are applied.
 */
export class Catalogue {
  readonly byId = new Map<string, OpenInvoice>();
  private readonly currencies = new Set<string>();
  private readonly byNumber = new Map<string, OpenInvoice[]>();
  private readonly byLooseNumber = new Map<string, OpenInvoice[]>();
  readonly compactOf = new Map<string, string>();
  private readonly byCustomer = new Map<string, OpenInvoice[]>();
  private readonly byAmount = new Map<string, Set<OpenInvoice>>();
  private readonly customers = new Map<string, CustomerIdentity>();
  private readonly byIban = new Map<string, CustomerIdentity[]>();
  private readonly tokensOf = new Map<string, Set<string>>();
  private readonly byNameToken = new Map<string, CustomerIdentity[]>();
  private readonly byNameKey = new Map<string, CustomerIdentity[]>();
  private readonly references = new Map<string, IssuedReference>();
  private readonly balances = new Map<string, number>();

  constructor(context: MatchingContext) {
    for (const invoice of context.invoices) {
      this.byId.set(invoice.invoiceId, invoice);
      this.currencies.add(invoice.balanceDue.currency);
      const compact = compactInvoiceNumber(invoice.invoiceNumber);
      this.compactOf.set(invoice.invoiceId, compact);
      push(this.byNumber, compact, invoice);
      for (const key of looseInvoiceKeys(invoice.invoiceNumber)) push(this.byLooseNumber, key, invoice);
      push(this.byCustomer, invoice.customerId, invoice);
      this.indexAmount(invoice, invoice.balanceDue.amount);
    }
    for (const customer of context.customers) {
      this.customers.set(customer.customerId, customer);
      for (const iban of customer.ibans ?? []) push(this.byIban, normalizeIban(iban), customer);
      const tokens = nameTokens(customer.name);
      this.tokensOf.set(customer.customerId, tokens);
      for (const token of tokens) push(this.byNameToken, token, customer);
      if (tokens.size > 0) push(this.byNameKey, nameKey(tokens), customer);
    }
    for (const r of context.references ?? []) {
      this.references.set(
        normalizeCreditorReference(r.reference),
        r.invoiceIds ? { customerId: r.customerId, invoiceIds: r.invoiceIds } : { customerId: r.customerId },
      );
    }
  }

  hasCurrency(currency: string): boolean {
    return this.currencies.has(currency);
  }

  due(invoice: OpenInvoice): number {
    return this.balances.get(invoice.invoiceId) ?? invoice.balanceDue.amount;
  }

  /** Record money an automatic match applied, so later lines see what is left. */
  settle(invoiceId: string, amount: number): void {
    const invoice = this.byId.get(invoiceId);
    if (!invoice) return;
    const left = this.due(invoice) - amount;
    this.balances.set(invoiceId, left);
    this.indexAmount(invoice, left);
  }

  private indexAmount(invoice: OpenInvoice, amount: number): void {
    const key = `${invoice.balanceDue.currency}:${amount}`;
    const set = this.byAmount.get(key) ?? new Set();
    set.add(invoice);
    this.byAmount.set(key, set);
  }

  private open(invoices: Iterable<OpenInvoice>, currency: string): OpenInvoice[] {
    const out: OpenInvoice[] = [];
    for (const i of invoices) if (i.balanceDue.currency === currency && this.due(i) > 0) out.push(i);
    return out;
  }

  reference(reference: string): IssuedReference | undefined {
    return this.references.get(reference);
  }

  openOfCustomer(customerId: string, currency: string): OpenInvoice[] {
    return this.open(this.byCustomer.get(customerId) ?? [], currency);
  }

  openByIds(ids: readonly string[], currency: string): OpenInvoice[] {
    return this.open(
      ids.map((id) => this.byId.get(id)).filter((i): i is OpenInvoice => i !== undefined),
      currency,
    );
  }

  openByCompactNumbers(numbers: Iterable<string>, currency: string): OpenInvoice[] {
    const found = new Set<OpenInvoice>();
    for (const n of numbers) for (const i of this.byNumber.get(n) ?? []) found.add(i);
    return this.open(found, currency);
  }

  openByLooseKeys(keys: Iterable<string>, currency: string): OpenInvoice[] {
    const found = new Set<OpenInvoice>();
    for (const k of keys) for (const i of this.byLooseNumber.get(k) ?? []) found.add(i);
    return this.open(found, currency);
  }

  /** Open invoices whose remaining balance is exactly `amount`. */
  openWithBalance(amount: number, currency: string): OpenInvoice[] {
    const candidates = this.byAmount.get(`${currency}:${amount}`) ?? [];
    return this.open(candidates, currency).filter((i) => this.due(i) === amount);
  }

  /** Customers the payer looks like: by IBAN (exact), else by name. */
  identify(debtorIban: string | undefined, debtorName: string | undefined) {
    const byIban = debtorIban ? [...(this.byIban.get(normalizeIban(debtorIban)) ?? [])] : [];
    const byName: CustomerIdentity[] = [];
    if (debtorName) {
      const tokens = nameTokens(debtorName);
      const seen = new Set<string>(byIban.map((c) => c.customerId));
      // A word that many customers share ("MARTIN", "BOULANGERIE") cannot single one out and
      // would make every line scan them all: such words only widen the search when the name
      // has no rarer word.
      const lists = [...tokens].map((t) => this.byNameToken.get(t) ?? []).sort((a, b) => a.length - b.length);
      const rare = lists.filter((l) => l.length <= COMMON_WORD);
      const exact = this.byNameKey.get(nameKey(tokens)) ?? [];
      for (const customer of exact) {
        if (seen.has(customer.customerId)) continue;
        seen.add(customer.customerId);
        byName.push(customer);
      }
      const smallest = lists.slice(0, 1).filter((l) => l.length <= SCAN_LIMIT);
      for (const list of rare.length > 0 ? rare : smallest) {
        for (const customer of list) {
          if (seen.has(customer.customerId)) continue;
          seen.add(customer.customerId);
          if (nameTokensMatch(this.tokensOf.get(customer.customerId) ?? new Set(), tokens))
            byName.push(customer);
        }
      }
    }
    return { byIban, byName };
  }
}

export type Payer = ReturnType<Catalogue['identify']>;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
