import type { PaymentMethod } from '../db/schema/payments.js';
import { addMonths, type IsoDate } from '../domain/calendar/index.js';
import { allocateEvenly, money } from '../domain/money/index.js';
import { DayNumbers } from './day-numbers.js';
import type { CustomerProfile } from './generate-customers.js';
import type { Rng } from './prng.js';
import type {
  DemoAllocation,
  DemoCreditNote,
  DemoInstalment,
  DemoInvoice,
  DemoPayment,
  DemoPortfolio,
} from './types.js';

// Invoicing slows in August and over Christmas, peaks before quarter and year ends.
const MONTH_WEIGHT = [0.9, 0.95, 1.15, 1.0, 0.95, 1.1, 0.85, 0.5, 1.1, 1.1, 1.15, 1.05] as const;
const VAT_RATE_PERCENT = 20;

const DESCRIPTIONS = [
  'Fourniture de pièces détachées',
  'Prestation de maintenance préventive',
  'Location de matériel de levage',
  'Transport et logistique',
  'Licence logicielle annuelle',
  'Installation et mise en service',
  'Conseil et accompagnement',
  'Consommables atelier',
] as const;
const CREDIT_REASONS = [
  'Remise commerciale',
  'Retour de marchandise',
  'Erreur de facturation',
  'Geste commercial',
] as const;
const METHOD_CODE: Record<PaymentMethod, string> = {
  transfer: 'VIR',
  direct_debit: 'PRLV',
  card: 'CB',
  cheque: 'CHQ',
  cash: 'ESP',
  other: 'DIV',
};

/** VAT on a net amount in minor units, rounded half up to the cent. */
export function vatOf(netMinor: number, ratePercent = VAT_RATE_PERCENT): number {
  return Math.floor((netMinor * ratePercent + 50) / 100);
}

interface Draft {
  profile: CustomerProfile;
  /** Day number (see DayNumbers). */
  issue: number;
}

interface PaymentEvent {
  customerId: string;
  method: PaymentMethod;
  day: number;
  invoiceId: string;
  amount: number;
}

function sampleIssueDay(rng: Rng, days: DayNumbers, start: number, today: number): number {
  const span = today - start;
  for (;;) {
    const offset = rng.int(0, span);
    const d = start + offset;
    // A growing business: recent months carry a little more than old ones.
    const trend = 0.8 + (0.4 * offset) / Math.max(span, 1);
    if (rng.next() * 1.2 * 1.15 < (MONTH_WEIGHT[days.month(d)] ?? 1) * trend) {
      const dow = days.weekday(d);
      if (dow === 6) return d - 1;
      if (dow === 0) return d + 1 <= today ? d + 1 : d - 2;
      return d;
    }
  }
}

function dueDayFor(profile: CustomerProfile, days: DayNumbers, issue: number): number {
  const d = issue + profile.terms.days;
  return profile.terms.endOfMonth ? days.endOfMonth(d) : d;
}

/**
 * A customer's own habit, stable across its invoices (issue 18: the risk model needs
 * persistent habits to learn from): 0..1 from its id, so it costs no draw from the
 * generator and leaves every other generated value as it was.
 */
export function customerHabit(customerId: string): number {
  let h = 2166136261;
  for (let i = 0; i < customerId.length; i++) h = Math.imul(h ^ customerId.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

/** Slower months: summer holidays (August) and year-end closing (December), 0 = January. */
export function seasonalDelay(month: number): number {
  return month === 7 || month === 11 ? 5 : 0;
}

/** Days between the due date and the payment: the behaviour, the customer's own habit within
 * it, and the season of the due date. */
function paymentDelay(rng: Rng, profile: CustomerProfile, dueMonth: number): number {
  if (profile.method === 'direct_debit') return 0;
  const habit = customerHabit(profile.customer.id);
  const late = profile.customer.behaviour === 'punctual' ? 0 : seasonalDelay(dueMonth);
  return (
    paymentDelayOfBehaviour(rng, profile) +
    Math.round((habit - 0.3) * HABIT_SPREAD[profile.customer.behaviour]) +
    late
  );
}

const HABIT_SPREAD: Record<CustomerProfile['customer']['behaviour'], number> = {
  punctual: 4,
  slightly_late: 12,
  chronic_late: 30,
  defaulter: 20,
};

function paymentDelayOfBehaviour(rng: Rng, profile: CustomerProfile): number {
  switch (profile.customer.behaviour) {
    case 'punctual':
      return rng.int(-7, 2);
    case 'slightly_late':
      return rng.chance(0.2) ? rng.int(-3, 0) : rng.int(1, 20);
    case 'chronic_late':
      return rng.int(15, 95);
    case 'defaulter':
      return rng.int(10, 60);
  }
}

/**
 * Play the customers' behaviours over `months` of invoicing: issue dates with seasonality,
 * due dates from payment terms, VAT, instalments, credit notes, disputes, then payments
 * (full, partial, late, none) grouped into one transfer when a customer pays several
 * invoices the same day. Nothing happens after `today`.
 */
export function generateLedger(
  rng: Rng,
  profiles: CustomerProfile[],
  opts: { invoices: number; today: IsoDate; months: number; currency: string; prefix: string },
): Omit<DemoPortfolio, 'customers' | 'contacts'> {
  const { currency, prefix } = opts;
  const days = new DayNumbers();
  const today = days.day(opts.today);
  const start = days.day(addMonths(opts.today, -opts.months));
  const cumulative: number[] = [];
  let total = 0;
  for (const p of profiles) {
    total += p.weight;
    cumulative.push(total);
  }
  const drafts: Draft[] = [];
  for (let k = 0; k < opts.invoices && profiles.length > 0; k++) {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) > r) hi = mid;
      else lo = mid + 1;
    }
    const profile = profiles[lo] ?? profiles[0];
    if (profile) drafts.push({ profile, issue: sampleIssueDay(rng, days, start, today) });
  }
  // Numbers follow issue order, per year, like a real invoicing system.
  drafts.sort((a, b) => a.issue - b.issue);

  const invoices: DemoInvoice[] = [];
  const instalments: DemoInstalment[] = [];
  const creditNotes: DemoCreditNote[] = [];
  const allocations: DemoAllocation[] = [];
  const events: PaymentEvent[] = [];
  const seqByYear = new Map<string, number>();
  let creditSeq = 0;

  for (const { profile, issue } of drafts) {
    const issueDate = days.iso(issue);
    const year = issueDate.slice(0, 4);
    const seq = (seqByYear.get(year) ?? 0) + 1;
    seqByYear.set(year, seq);
    const c = profile.customer;
    const id = rng.uuid();
    const netMinor = Math.max(1_000, Math.round((profile.typicalNetMinor * rng.logNormal(0.6)) / 100) * 100);
    const taxMinor = vatOf(netMinor);
    const grossMinor = netMinor + taxMinor;
    const split = c.kind === 'b2b' && grossMinor >= 800_000 && rng.chance(0.05);
    const dueDays = split ? [issue + 30, issue + 60, issue + 90] : [dueDayFor(profile, days, issue)];
    const dueDate = days.iso(dueDays[dueDays.length - 1] ?? issue);
    const age = today - issue;
    const disputeRate = c.behaviour === 'chronic_late' ? 0.06 : c.behaviour === 'defaulter' ? 0.08 : 0.015;
    const disputed = age > 20 && rng.chance(disputeRate);
    invoices.push({
      id,
      customerId: c.id,
      invoiceNumber: `${prefix}FA${year}-${String(seq).padStart(6, '0')}`,
      issueDate,
      dueDate,
      performanceDate: days.iso(issue - rng.int(0, 7)),
      currency,
      netMinor,
      taxMinor,
      grossMinor,
      disputed,
      paymentTerms: split ? 'Paiement en 3 échéances (30/60/90 jours)' : profile.terms.label,
      poReference: c.segment === 'strategic' ? `BC-${rng.digits(7)}` : null,
      description: rng.pick(DESCRIPTIONS),
    });

    let due = grossMinor;
    if (!split && !disputed && age > 3 && rng.chance(0.03)) {
      const full = rng.chance(0.25);
      const cnNet = full ? netMinor : Math.max(100, Math.round((netMinor * rng.int(5, 30)) / 100));
      const cnTax = full ? taxMinor : vatOf(cnNet);
      const cnGross = cnNet + cnTax;
      const cnId = rng.uuid();
      creditSeq += 1;
      creditNotes.push({
        id: cnId,
        customerId: c.id,
        creditNoteNumber: `${prefix}AV${year}-${String(creditSeq).padStart(6, '0')}`,
        invoiceId: id,
        issueDate: days.iso(issue + Math.min(age, rng.int(3, 40))),
        currency,
        netMinor: cnNet,
        taxMinor: cnTax,
        grossMinor: cnGross,
        reason: full ? 'Annulation de facture' : rng.pick(CREDIT_REASONS),
      });
      allocations.push({
        id: rng.uuid(),
        invoiceId: id,
        paymentId: null,
        creditNoteId: cnId,
        amountMinor: cnGross,
      });
      due -= cnGross;
    }

    const shares = split ? allocateEvenly(money(due, currency), dueDays.length).map((m) => m.amount) : [due];
    const defaultsFrom = profile.defaultsFrom ? days.day(profile.defaultsFrom) : undefined;
    const pay = (day: number, value: number) => {
      if (day <= today && value > 0)
        events.push({ customerId: c.id, method: profile.method, day, invoiceId: id, amount: value });
    };
    dueDays.forEach((unitDue, seqIdx) => {
      const amount = shares[seqIdx] ?? 0;
      if (split)
        instalments.push({ invoiceId: id, seq: seqIdx + 1, dueDate: days.iso(unitDue), amountMinor: amount });
      if (disputed || amount <= 0) return;
      if (defaultsFrom !== undefined && unitDue >= defaultsFrom) {
        // Stopped paying; now and then a small gesture after the due date.
        if (unitDue < today && rng.chance(0.15)) {
          pay(unitDue + rng.int(1, Math.max(1, today - unitDue)), Math.floor(amount * 0.2));
        }
        return;
      }
      const date = Math.max(issue, unitDue + paymentDelay(rng, profile, days.month(unitDue)));
      const partialRate = c.behaviour === 'chronic_late' ? 0.3 : c.behaviour === 'slightly_late' ? 0.05 : 0;
      if (rng.chance(partialRate)) {
        const first = Math.floor((amount * rng.int(30, 70)) / 100);
        pay(date, first);
        pay(date + rng.int(20, 60), amount - first);
      } else {
        pay(date, amount);
      }
    });
  }

  const payments = groupPayments(rng, days, events, allocations, { currency, prefix });
  return { invoices, instalments, creditNotes, payments, allocations };
}

/** One payment per customer and day (a grouped transfer pays several invoices), with a
 * rare overpayment left unallocated as credit on the customer. */
function groupPayments(
  rng: Rng,
  days: DayNumbers,
  events: PaymentEvent[],
  allocations: DemoAllocation[],
  opts: { currency: string; prefix: string },
): DemoPayment[] {
  events.sort((a, b) => a.day - b.day);
  const payments: DemoPayment[] = [];
  const open = new Map<string, DemoPayment>();
  let seq = 0;
  for (const e of events) {
    // Card payments are one per invoice; transfers and cheques often settle several.
    const key = e.method === 'card' ? '' : `${e.customerId}|${e.day}`;
    let p = key ? open.get(key) : undefined;
    if (!p) {
      seq += 1;
      const date = days.iso(e.day);
      p = {
        id: rng.uuid(),
        customerId: e.customerId,
        paymentReference: `${opts.prefix}${METHOD_CODE[e.method]}-${date.replaceAll('-', '')}-${String(seq).padStart(6, '0')}`,
        receivedOn: date,
        currency: opts.currency,
        amountMinor: 0,
        method: e.method,
        bankReference: rng.digits(12),
      };
      payments.push(p);
      if (key) open.set(key, p);
    }
    p.amountMinor += e.amount;
    allocations.push({
      id: rng.uuid(),
      invoiceId: e.invoiceId,
      paymentId: p.id,
      creditNoteId: null,
      amountMinor: e.amount,
    });
  }
  for (const p of payments)
    if (p.method === 'transfer' && rng.chance(0.005)) p.amountMinor += rng.int(1, 50) * 100;
  return payments;
}
