import { addDays, zonedInstant } from '../../../src/domain/calendar/index.js';
import { FR_B2B_STANDARD } from '../../../src/domain/dunning/default-policies.js';
import {
  DEFAULT_DUNNING_SETTINGS,
  type OpenItem,
  type PlannerContact,
  type PlannerCustomer,
  type PlannerInput,
  type StepDone,
} from '../../../src/domain/dunning/types.js';

/** Paris wall-clock instant: parisAt('2026-06-16 09:00'). */
export function parisAt(local: string): Date {
  const [date, time = '09:00'] = local.split(' ');
  const [h, m] = time.split(':').map(Number);
  return zonedInstant(date as string, h ?? 0, m ?? 0, 'Europe/Paris');
}

export function contact(over: Partial<PlannerContact> = {}): PlannerContact {
  return {
    id: 'ct-1',
    name: 'Claire Martin',
    email: 'claire@client.example',
    emailValid: true,
    consentEmail: true,
    phone: '+33612345678',
    consentSms: true,
    isPrimary: true,
    ...over,
  };
}

export function customer(over: Partial<PlannerCustomer> = {}): PlannerCustomer {
  return {
    id: 'cust-1',
    name: 'Dupont SARL',
    kind: 'b2b',
    segment: 'standard',
    language: 'fr',
    timeZone: null,
    riskBand: null,
    hasPostalAddress: true,
    contacts: [contact()],
    ...over,
  };
}

let n = 100;
export function invoice(over: Partial<OpenItem> = {}): OpenItem {
  n++;
  return {
    invoiceId: `inv-${n}`,
    invoiceNumber: `F-2026-${n}`,
    issueDate: '2026-04-01',
    dueDate: '2026-05-31',
    balanceMinor: 120_000,
    currency: 'EUR',
    disputed: false,
    ...over,
  };
}

/** Tuesday 16 June 2026, 09:00 in Paris: an invoice due 31 May is 16 days late. */
export const TUESDAY_9AM = parisAt('2026-06-16 09:00');

export function plannerInput(over: Partial<PlannerInput> = {}): PlannerInput {
  return {
    customer: customer(),
    policy: FR_B2B_STANDARD,
    items: [invoice()],
    history: [],
    recentContacts: [],
    pauses: [],
    promises: [],
    settings: DEFAULT_DUNNING_SETTINGS,
    now: TUESDAY_9AM,
    ...over,
  };
}

/** History of steps sent on schedule for an item (each at its offset in the policy, 09:00 Paris). */
export function onSchedule(item: OpenItem, keys: string[], policy = FR_B2B_STANDARD): StepDone[] {
  return keys.map((key) => {
    const step = policy.steps.find((s) => s.key === key);
    if (!step) throw new Error(`no step ${key} in ${policy.key}`);
    return {
      invoiceId: item.invoiceId,
      instalmentSeq: null,
      stepKey: key,
      at: parisAt(addDays(item.dueDate, step.offsetDays)),
    };
  });
}
