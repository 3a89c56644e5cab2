/**
 * The pure dunning planner alone, no database: policy selection and planCustomer over an
 * in-memory portfolio built like the one planDunningRun loads, timed over several passes.
 *
 *   npx tsx bench/dunning-planner.bench.ts [--customers 40000] [--items 5] [--runs 5] [--per-item] [--replay] [--at 'YYYY-MM-DD HH:MM']
 *
 * Prints JSON: median and per-run CPU milliseconds, µs per invoice, and a SHA-256 of every
 * plan (JSON) so that an optimisation can prove it changed no output.
 */
import { createHash } from 'node:crypto';
import { addDays, type IsoDate, zonedInstant } from '../src/domain/calendar/index.js';
import {
  type CustomerPlan,
  DEFAULT_POLICIES,
  DEFAULT_POLICY_RULES,
  type DunningPolicy,
  type DunningSettings,
  type OpenItem,
  type PlannerContact,
  type PlannerCustomer,
  type PlannerInput,
  type PolicyRule,
  planByRules,
  type RecentContact,
  type StepDone,
} from '../src/domain/dunning/index.js';
import { dunningSettingsOf } from '../src/services/dunning/dunning-settings.js';
import { arg, runWhenMain } from './cli.js';

/** mulberry32: the same portfolio on every machine and every run, so hashes compare. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface CustomerState {
  customer: PlannerCustomer;
  policyOverride: string | null;
  items: OpenItem[];
  history: StepDone[];
  recentContacts: RecentContact[];
  pauses: PlannerInput['pauses'];
  promises: PlannerInput['promises'];
}

/**
 * A portfolio shaped like production: mostly B2B with one or two contacts, due dates over the
 * last 120 days (a few not yet due), some split invoices, disputes, pauses, promises, and a
 * steady-state history (earlier steps done, recent contacts) for most customers.
 */
function portfolio(customers: number, itemsPerCustomer: number, today: IsoDate, now: Date): CustomerState[] {
  const rnd = prng(20261110);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(rnd() * 16).toString(16);
    return s;
  };
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const steps = DEFAULT_POLICIES[0]?.steps ?? [];
  const out: CustomerState[] = [];
  let invoiceNo = 0;
  for (let c = 0; c < customers; c++) {
    const id = uuid();
    const contacts: PlannerContact[] = [];
    const nContacts = rnd() < 0.7 ? 1 : rnd() < 0.8 ? 2 : 3;
    for (let k = 0; k < nContacts; k++)
      contacts.push({
        id: uuid(),
        name: rnd() < 0.8 ? `Contact ${c}-${k}` : null,
        email: rnd() < 0.9 ? `ap${c}-${k}@client${c}.example` : null,
        emailValid: rnd() < 0.95,
        consentEmail: rnd() < 0.97,
        phone: rnd() < 0.7 ? `+336${String(10_000_000 + c * 3 + k).slice(-8)}` : null,
        consentSms: rnd() < 0.35,
        isPrimary: k === nContacts - 1 ? rnd() < 0.8 : false,
      });
    const customer: PlannerCustomer = {
      id,
      name: `Client ${c}`,
      kind: rnd() < 0.1 ? 'b2c' : 'b2b',
      segment: rnd() < 0.02 ? 'strategic' : 'standard',
      language: rnd() < 0.9 ? 'fr' : 'en',
      timeZone: rnd() < 0.95 ? null : pick(['Europe/London', 'America/Montreal', 'Europe/Berlin']),
      riskBand: rnd() < 0.7 ? null : pick(['low', 'medium', 'high'] as const),
      hasPostalAddress: rnd() < 0.95,
      contacts,
    };
    const steadyState = rnd() < 0.6;
    const items: OpenItem[] = [];
    const history: StepDone[] = [];
    const actionKeys = new Map<string, string>();
    for (let n = 0; n < itemsPerCustomer; n++) {
      invoiceNo++;
      const daysLate = Math.floor(rnd() * 131) - 10;
      const dueDate = addDays(today, -daysLate);
      const gross = 10_000 + Math.floor(rnd() * 99_000) * 10;
      const partial = rnd() < 0.05;
      const item: OpenItem = {
        invoiceId: uuid(),
        invoiceNumber: `F-2026-${String(invoiceNo).padStart(6, '0')}`,
        issueDate: addDays(dueDate, -30),
        dueDate,
        balanceMinor: partial ? Math.floor(gross * rnd()) + 1 : gross,
        grossMinor: gross,
        currency: rnd() < 0.98 ? 'EUR' : 'USD',
        disputed: rnd() < 0.02,
      };
      if (rnd() < 0.04) {
        const part = Math.floor(gross / 3);
        item.instalments = [1, 2, 3].map((seq) => ({
          seq,
          dueDate: addDays(dueDate, (seq - 2) * 30),
          amountMinor: seq === 3 ? gross - 2 * part : part,
        }));
      }
      if (rnd() < 0.015) item.pausedUntil = addDays(today, Math.floor(rnd() * 40) - 10);
      if (rnd() < 0.01) item.inPaymentPlanInGoodStanding = true;
      items.push(item);
      if (!steadyState) continue;
      // Steps whose offset was reached a few days ago are done; the rest may be due today.
      const lag = Math.floor(rnd() * 4);
      for (const s of steps) {
        if (s.offsetDays > daysLate - lag || s.decisionTask) continue;
        let actionKey = actionKeys.get(s.key);
        if (!actionKey) {
          actionKey = hex(64);
          actionKeys.set(s.key, actionKey);
        }
        const at = new Date(now.getTime() - (daysLate - s.offsetDays) * 86_400_000);
        history.push({ invoiceId: item.invoiceId, instalmentSeq: null, stepKey: s.key, at, actionKey });
      }
    }
    const recentContacts: RecentContact[] = [];
    if (steadyState)
      for (const [, actionKey] of actionKeys)
        if (rnd() < 0.3)
          recentContacts.push({
            at: new Date(now.getTime() - Math.floor(rnd() * 10 * 86_400_000)),
            automatic: true,
            actionKey,
          });
    const first = items[0];
    const pauses: PlannerInput['pauses'] = [];
    if (rnd() < 0.01)
      pauses.push({ id: uuid(), invoiceId: null, until: addDays(today, 14), reason: 'customer on holiday' });
    if (first && rnd() < 0.01)
      pauses.push({ id: uuid(), invoiceId: first.invoiceId, until: addDays(today, 7), reason: 'checking' });
    const promises: PlannerInput['promises'] = [];
    if (first && rnd() < 0.02)
      promises.push({
        id: uuid(),
        invoiceIds: rnd() < 0.5 ? [first.invoiceId] : [],
        promisedDate: addDays(today, Math.floor(rnd() * 20) - 10),
        graceDays: 3,
        status: 'active',
      });
    out.push({
      customer,
      policyOverride: rnd() < 0.01 ? 'FR-conciliatory' : null,
      items,
      history,
      recentContacts,
      pauses,
      promises,
    });
  }
  return out;
}

/** What planDunningRun does per customer between loading and writing. */
function planOne(
  state: CustomerState,
  rules: PolicyRule[],
  policies: DunningPolicy[],
  settings: DunningSettings,
  now: Date,
): { plan: CustomerPlan; policyKey: string; reason: string } | null {
  const planned = planByRules(state, rules, policies, settings, now);
  return planned && { plan: planned.plan, policyKey: planned.policy.key, reason: planned.selection.reason };
}

function hashPlans(
  states: CustomerState[],
  rules: PolicyRule[],
  policies: DunningPolicy[],
  settings: DunningSettings,
  now: Date,
): string {
  const h = createHash('sha256');
  for (const s of states) h.update(`${JSON.stringify(planOne(s, rules, policies, settings, now))}\n`);
  return h.digest('hex');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const round = (x: number, d = 1) => Number(x.toFixed(d));

export async function main(argv: string[] = process.argv.slice(2)): Promise<Record<string, unknown>> {
  const customers = Number(arg(argv, 'customers') ?? 40_000);
  const itemsPerCustomer = Number(arg(argv, 'items') ?? 5);
  const runs = Number(arg(argv, 'runs') ?? 5);
  const base = dunningSettingsOf(null, 'Europe/Paris');
  // The other two paths of the planner, to compare their outputs too.
  const settings = {
    ...base,
    ...(argv.includes('--per-item') ? { statementGrouping: false } : {}),
    ...(argv.includes('--replay') ? { catchUpReplay: true } : {}),
  };
  // By default Tuesday 10 November 2026, the 09:00 Paris run (the day before a public
  // holiday); --at "2026-11-11 09:00" or "2026-11-10 21:30" exercises postponed sends.
  const [today = '2026-11-10', time = '09:00'] = (arg(argv, 'at') ?? '2026-11-10 09:00').split(' ');
  const [hour = 9, minute = 0] = time.split(':').map(Number);
  const now = zonedInstant(today, hour, minute, 'Europe/Paris');
  const policies = [...DEFAULT_POLICIES];
  const rules = [...DEFAULT_POLICY_RULES];

  const g0 = performance.now();
  const states = portfolio(customers, itemsPerCustomer, today, now);
  const generateMs = performance.now() - g0;
  const invoices = states.reduce((s, c) => s + c.items.length, 0);

  const hashBefore = hashPlans(states, rules, policies, settings, now);
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  let actions = 0;
  let postponed = 0;
  let excluded = 0;
  for (let r = 0; r < runs; r++) {
    // Plans are kept per batch of 500 customers, as planDunningRun holds them until its write.
    let batch: CustomerPlan[] = [];
    actions = 0;
    postponed = 0;
    excluded = 0;
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (const s of states) {
      const planned = planOne(s, rules, policies, settings, now);
      if (!planned) continue;
      actions += planned.plan.actions.length;
      postponed += planned.plan.postponed.length;
      excluded += planned.plan.excluded.length;
      batch.push(planned.plan);
      if (batch.length === 500) batch = [];
    }
    wallMs.push(performance.now() - w0);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
    process.stderr.write(`run ${r + 1}/${runs}: ${round(cpuMs[r] ?? 0)} ms CPU\n`);
  }
  // Planning twice must give the same plans: the planner is pure and its caches invisible.
  const hashAfter = hashPlans(states, rules, policies, settings, now);
  if (hashAfter !== hashBefore) throw new Error('plans differ between passes over the same input');

  const medianCpu = median(cpuMs);
  return {
    bench: 'dunning-planner',
    customers,
    invoices,
    statementGrouping: settings.statementGrouping,
    catchUpReplay: settings.catchUpReplay,
    at: now.toISOString(),
    runs,
    generateMs: round(generateMs),
    medianCpuMs: round(medianCpu),
    medianWallMs: round(median(wallMs)),
    cpuMsPerRun: cpuMs.map((x) => round(x)),
    usPerInvoice: round((medianCpu * 1000) / invoices, 2),
    actions,
    postponed,
    excludedItems: excluded,
    plansSha256: hashBefore,
  };
}

runWhenMain(import.meta.url, () => main());
