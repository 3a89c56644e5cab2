import { describe, expect, it } from 'vitest';
import { vatOf } from '../../../src/demo/generate-ledger.js';
import { firstCustomerId, generatePortfolio } from '../../../src/demo/generate-portfolio.js';
import { frenchIban, frenchVatNumber, isIbanValid, isLuhnValid } from '../../../src/demo/identifiers.js';
import type { DemoPortfolio } from '../../../src/demo/types.js';

const TODAY = '2026-03-15';
const base = { customers: 200, invoices: 2_000, seed: 42, today: TODAY };

function sumBy<T>(rows: T[], key: (r: T) => string, value: (r: T) => number): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + value(r));
  return m;
}

describe('demo portfolio generator', () => {
  const p: DemoPortfolio = generatePortfolio(base);

  it('gives the same portfolio, ids included, for the same seed', () => {
    expect(generatePortfolio(base)).toEqual(p);
  });

  it('gives a different portfolio for another seed', () => {
    const other = generatePortfolio({ ...base, seed: 43 });
    expect(other.invoices.map((i) => i.grossMinor)).not.toEqual(p.invoices.map((i) => i.grossMinor));
    expect(other.customers[0]?.id).not.toBe(p.customers[0]?.id);
  });

  it('produces exactly the requested number of customers and invoices', () => {
    expect(p.customers).toHaveLength(200);
    expect(p.invoices).toHaveLength(2_000);
  });

  it('mixes B2B and B2C customers, strategic accounts and every payment behaviour', () => {
    const kinds = new Set(p.customers.map((c) => c.kind));
    expect(kinds).toEqual(new Set(['b2b', 'b2c']));
    expect(p.customers.some((c) => c.segment === 'strategic')).toBe(true);
    const behaviours = new Set(p.customers.map((c) => c.behaviour));
    expect(behaviours).toEqual(new Set(['punctual', 'slightly_late', 'chronic_late', 'defaulter']));
  });

  it('gives B2B customers valid SIREN, SIRET and VAT numbers, and B2C customers none', () => {
    for (const c of p.customers) {
      if (c.kind === 'b2b') {
        expect(c.siren && isLuhnValid(c.siren)).toBe(true);
        expect(c.siret?.startsWith(c.siren ?? 'x') && isLuhnValid(c.siret ?? '')).toBe(true);
        expect(c.vatNumber).toBe(frenchVatNumber(c.siren ?? ''));
      } else {
        expect([c.siren, c.siret, c.vatNumber]).toEqual([null, null, null]);
      }
    }
  });

  it('names each company with exactly one legal form, and gives street numbers a street would have', () => {
    const forms = /\b(SAS|SARL|SA|EURL|SASU|SEM|SCOP|GIE|SNC|SCA|SCS)\b/g;
    for (const c of p.customers.filter((x) => x.kind === 'b2b')) {
      expect(c.name.match(forms), c.name).toHaveLength(1);
      expect(c.name).toMatch(/ (SAS|SARL|SA|EURL|SASU)$/);
    }
    for (const c of p.customers) {
      const n = Number(/^(\d+)/.exec(c.addressLine1 ?? '')?.[1]);
      expect(n, c.addressLine1 ?? '').toBeGreaterThanOrEqual(1);
      expect(n, c.addressLine1 ?? '').toBeLessThanOrEqual(180);
    }
  });

  it('gives every customer a primary contact with an email on a reserved domain', () => {
    const primaries = new Set(p.contacts.filter((c) => c.isPrimary).map((c) => c.customerId));
    expect(primaries.size).toBe(p.customers.length);
    for (const c of p.contacts) expect(c.email).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+\.example$/);
  });

  it('keeps every amount an integer number of cents, with 20% VAT and gross = net + tax', () => {
    for (const i of p.invoices) {
      for (const v of [i.netMinor, i.taxMinor, i.grossMinor]) expect(Number.isSafeInteger(v)).toBe(true);
      expect(i.taxMinor).toBe(vatOf(i.netMinor));
      expect(i.grossMinor).toBe(i.netMinor + i.taxMinor);
      expect(i.grossMinor).toBeGreaterThan(0);
    }
    for (const x of [...p.payments, ...p.allocations, ...p.instalments]) {
      expect(Number.isSafeInteger(x.amountMinor) && x.amountMinor > 0).toBe(true);
    }
  });

  it('rounds VAT half up to the cent', () => {
    expect(vatOf(1)).toBe(0); // 0.2 cent
    expect(vatOf(3)).toBe(1); // 0.6 cent
    expect(vatOf(1_234_56)).toBe(24_691); // 246.912 €
    expect(vatOf(2_5)).toBe(5);
  });

  it('issues nothing after today and nothing due before its issue date', () => {
    for (const i of p.invoices) {
      expect(i.issueDate <= TODAY).toBe(true);
      expect(i.dueDate >= i.issueDate).toBe(true);
      expect(i.issueDate >= '2024-09-15').toBe(true);
    }
    for (const x of p.payments) expect(x.receivedOn <= TODAY).toBe(true);
    for (const c of p.creditNotes) expect(c.issueDate <= TODAY).toBe(true);
  });

  it('never allocates more than an invoice is worth, nor more than a payment brought', () => {
    const byInvoice = sumBy(
      p.allocations,
      (a) => a.invoiceId,
      (a) => a.amountMinor,
    );
    for (const i of p.invoices) expect(byInvoice.get(i.id) ?? 0).toBeLessThanOrEqual(i.grossMinor);
    const byPayment = sumBy(
      p.allocations.filter((a) => a.paymentId),
      (a) => a.paymentId ?? '',
      (a) => a.amountMinor,
    );
    for (const x of p.payments) expect(byPayment.get(x.id) ?? 0).toBeLessThanOrEqual(x.amountMinor);
  });

  it('leaves an occasional overpayment as unallocated credit on the customer', () => {
    const allocated = sumBy(
      p.allocations.filter((a) => a.paymentId),
      (a) => a.paymentId ?? '',
      (a) => a.amountMinor,
    );
    expect(p.payments.filter((x) => x.amountMinor > (allocated.get(x.id) ?? 0)).length).toBeGreaterThan(0);
  });

  it('contains fully paid, partially paid, unpaid, credited and disputed invoices', () => {
    const paid = sumBy(
      p.allocations,
      (a) => a.invoiceId,
      (a) => a.amountMinor,
    );
    const full = p.invoices.filter((i) => paid.get(i.id) === i.grossMinor);
    const partial = p.invoices.filter(
      (i) => (paid.get(i.id) ?? 0) > 0 && (paid.get(i.id) ?? 0) < i.grossMinor,
    );
    const none = p.invoices.filter((i) => !paid.has(i.id));
    expect(full.length).toBeGreaterThan(p.invoices.length / 2);
    expect(partial.length).toBeGreaterThan(0);
    expect(none.length).toBeGreaterThan(0);
    expect(p.creditNotes.length).toBeGreaterThan(0);
    expect(p.invoices.filter((i) => i.disputed).length).toBeGreaterThan(0);
    // A disputed invoice is withheld: nothing paid on it.
    const disputedPaid = p.allocations.filter(
      (a) => a.paymentId && p.invoices.find((i) => i.id === a.invoiceId)?.disputed,
    );
    expect(disputedPaid).toEqual([]);
  });

  it('pays late invoices of chronic late payers more often than those of punctual ones', () => {
    const behaviourOf = new Map(p.customers.map((c) => [c.id, c.behaviour]));
    const dueOf = new Map(p.invoices.map((i) => [i.id, i]));
    const paymentOf = new Map(p.payments.map((x) => [x.id, x]));
    const delays: Record<string, number[]> = { punctual: [], chronic_late: [] };
    for (const a of p.allocations) {
      const inv = dueOf.get(a.invoiceId);
      const pay = a.paymentId ? paymentOf.get(a.paymentId) : undefined;
      const b = inv ? behaviourOf.get(inv.customerId) : undefined;
      if (!inv || !pay || !b || !(b in delays) || inv.paymentTerms.includes('échéances')) continue;
      delays[b]?.push((Date.parse(pay.receivedOn) - Date.parse(inv.dueDate)) / 86_400_000);
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(delays.chronic_late ?? [])).toBeGreaterThan(mean(delays.punctual ?? []) + 20);
  });

  it('splits a few invoices into instalments that add up to the amount due', () => {
    const byInvoice = sumBy(
      p.instalments,
      (x) => x.invoiceId,
      (x) => x.amountMinor,
    );
    expect(byInvoice.size).toBeGreaterThan(0);
    expect(byInvoice.size).toBeLessThan(p.invoices.length * 0.05);
    for (const [id, total] of byInvoice) expect(total).toBe(p.invoices.find((i) => i.id === id)?.grossMinor);
  });

  it('dates due by payment terms: 45 days end of month lands on a month end', () => {
    const eom = p.invoices.filter((i) => i.paymentTerms === '45 jours fin de mois');
    expect(eom.length).toBeGreaterThan(0);
    for (const i of eom) {
      const next = new Date(`${i.dueDate}T00:00:00Z`);
      next.setUTCDate(next.getUTCDate() + 1);
      expect(next.getUTCDate()).toBe(1);
    }
    for (const i of p.invoices.filter((x) => x.paymentTerms === '60 jours')) {
      expect((Date.parse(i.dueDate) - Date.parse(i.issueDate)) / 86_400_000).toBe(60);
    }
  });

  it('keeps numbers unique and prefixed when asked', () => {
    expect(new Set(p.invoices.map((i) => i.invoiceNumber)).size).toBe(p.invoices.length);
    expect(new Set(p.payments.map((x) => x.paymentReference)).size).toBe(p.payments.length);
    const prefixed = generatePortfolio({ ...base, customers: 5, invoices: 20, prefix: 'S9-' });
    expect(prefixed.invoices.every((i) => i.invoiceNumber.startsWith('S9-FA'))).toBe(true);
    expect(prefixed.customers.every((c) => c.externalRef.startsWith('S9-CLI'))).toBe(true);
  });

  it('knows the first customer id of a portfolio without generating it', () => {
    expect(firstCustomerId(42)).toBe(p.customers[0]?.id);
    expect(firstCustomerId(42, 'S1-')).not.toBe(p.customers[0]?.id);
  });
});

describe('French identifiers', () => {
  it('checks SIREN/SIRET with the Luhn algorithm', () => {
    expect(isLuhnValid('732829320')).toBe(true);
    expect(isLuhnValid('732829321')).toBe(false);
    expect(isLuhnValid('73282932000074')).toBe(true);
  });

  it('computes the VAT key from the SIREN', () => {
    expect(frenchVatNumber('732829320')).toBe('FR44732829320');
  });

  it('builds a French IBAN whose check digits and RIB key are valid', () => {
    const iban = frenchIban('30004', '00001', '00012345678');
    expect(iban).toMatch(/^FR\d{2}3000400001000123456\d{4}$/);
    expect(isIbanValid(iban)).toBe(true);
    expect(isIbanValid(iban.replace('30004', '30005'))).toBe(false);
    expect(isIbanValid('FR1420041010050500013M02606')).toBe(true);
  });
});
