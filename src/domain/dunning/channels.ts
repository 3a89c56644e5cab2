import type { DunningChannel } from './policy.js';
import type { DunningSettings, PlannedChannel, PlannerContact, PlannerCustomer } from './types.js';

/**
 * Turn a step's wished channels into the ones that can reach this debtor, explaining every
 * drop or substitution. SMS needs the debtor's consent (Code des postes et des
 * communications électroniques art. L34-5 governs unsolicited messages; we also require it
 * for collection SMS by default); an invalid email falls back to a letter; a letter needs
 * a postal address; when nothing can reach the debtor a call task goes to a human.
 */
export interface ResolvedChannels {
  channels: PlannedChannel[];
  notes: string[];
}

/**
 * The first contact that qualifies, primary contacts first, each group in the order given:
 * what a stable sort by "primary first" followed by a find returns, without copying and
 * sorting the contacts for every lookup.
 */
function firstByPriority(
  contacts: PlannerContact[],
  qualifies: (c: PlannerContact) => unknown,
): PlannerContact | undefined {
  let fallback: PlannerContact | undefined;
  for (const c of contacts) {
    if (!qualifies(c)) continue;
    if (c.isPrimary) return c;
    fallback ??= c;
  }
  return fallback;
}

function emailContact(c: PlannerCustomer): PlannerContact | undefined {
  return firstByPriority(c.contacts, (x) => x.email && x.emailValid && x.consentEmail);
}

function smsContact(c: PlannerCustomer, s: DunningSettings): PlannerContact | undefined {
  return firstByPriority(c.contacts, (x) => x.phone && (x.consentSms || !s.smsRequiresConsent));
}

function phoneContact(c: PlannerCustomer): PlannerContact | undefined {
  return firstByPriority(c.contacts, (x) => x.phone);
}

function whyNoEmail(c: PlannerCustomer): string {
  if (!c.contacts.some((x) => x.email)) return 'no email address';
  if (!c.contacts.some((x) => x.email && x.emailValid)) return 'email address invalid';
  return 'no contact accepts email';
}

function whyNoSms(c: PlannerCustomer): string {
  if (!c.contacts.some((x) => x.phone)) return 'no mobile number';
  return 'no SMS consent';
}

// Module functions rather than closures inside resolveChannels: it runs once per planned
// action, and closures there cost an allocation (and a __name call under tsx) each.
function has(out: PlannedChannel[], ch: DunningChannel): boolean {
  return out.some((x) => x.channel === ch);
}

function push(out: PlannedChannel[], p: PlannedChannel): void {
  if (!has(out, p.channel)) out.push(p);
}

function postal(
  out: PlannedChannel[],
  customer: PlannerCustomer,
  channel: 'letter' | 'registered_letter',
): boolean {
  if (!customer.hasPostalAddress) return false;
  push(out, { channel, contactId: null, address: null });
  return true;
}

function callTask(out: PlannedChannel[], customer: PlannerCustomer): void {
  const ph = phoneContact(customer);
  push(out, { channel: 'call_task', contactId: ph?.id ?? null, address: ph?.phone ?? null });
}

export function resolveChannels(
  wanted: DunningChannel[],
  customer: PlannerCustomer,
  settings: DunningSettings,
): ResolvedChannels {
  const out: PlannedChannel[] = [];
  const notes: string[] = [];
  const email = emailContact(customer);
  for (const ch of wanted) {
    switch (ch) {
      case 'email': {
        if (email) push(out, { channel: 'email', contactId: email.id, address: email.email });
        else if (postal(out, customer, 'letter')) notes.push(`email → letter: ${whyNoEmail(customer)}`);
        else {
          callTask(out, customer);
          notes.push(`email → call task: ${whyNoEmail(customer)} and no postal address`);
        }
        break;
      }
      case 'sms': {
        const noProvider = settings.smsAvailable === false;
        const sms = noProvider ? undefined : smsContact(customer, settings);
        const why = noProvider ? 'no SMS provider configured' : whyNoSms(customer);
        if (sms) push(out, { channel: 'sms', contactId: sms.id, address: sms.phone });
        else if (wanted.includes('email') && email)
          notes.push(`SMS dropped: ${why}; the email carries the reminder`);
        else if (email) {
          push(out, { channel: 'email', contactId: email.id, address: email.email });
          notes.push(`SMS → email: ${why}`);
        } else if (postal(out, customer, 'letter'))
          notes.push(`SMS → letter: ${why} and ${whyNoEmail(customer)}`);
        else notes.push(`SMS dropped: ${why}`);
        break;
      }
      case 'letter':
      case 'registered_letter': {
        if (!postal(out, customer, ch)) {
          callTask(out, customer);
          notes.push(`${ch.replace('_', ' ')} → call task: no postal address`);
        }
        break;
      }
      case 'call_task':
        callTask(out, customer);
        break;
      case 'portal_notice':
        push(out, { channel: 'portal_notice', contactId: null, address: null });
        break;
    }
  }
  // A registered letter already is a letter: never post the same notice twice.
  if (has(out, 'registered_letter') && has(out, 'letter')) {
    out.splice(
      out.findIndex((x) => x.channel === 'letter'),
      1,
    );
  }
  if (out.length === 0) {
    callTask(out, customer);
    notes.push('no channel can reach the debtor: call task for a human');
  }
  return { channels: out, notes };
}
