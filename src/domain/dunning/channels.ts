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

function byPriority(contacts: PlannerContact[]): PlannerContact[] {
  return [...contacts].sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
}

function emailContact(c: PlannerCustomer): PlannerContact | undefined {
  return byPriority(c.contacts).find((x) => x.email && x.emailValid && x.consentEmail);
}

function smsContact(c: PlannerCustomer, s: DunningSettings): PlannerContact | undefined {
  return byPriority(c.contacts).find((x) => x.phone && (x.consentSms || !s.smsRequiresConsent));
}

function phoneContact(c: PlannerCustomer): PlannerContact | undefined {
  return byPriority(c.contacts).find((x) => x.phone);
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

export function resolveChannels(
  wanted: DunningChannel[],
  customer: PlannerCustomer,
  settings: DunningSettings,
): ResolvedChannels {
  const out: PlannedChannel[] = [];
  const notes: string[] = [];
  const has = (ch: DunningChannel) => out.some((x) => x.channel === ch);
  const push = (p: PlannedChannel) => {
    if (!has(p.channel)) out.push(p);
  };
  const email = emailContact(customer);
  const postal = (channel: 'letter' | 'registered_letter'): boolean => {
    if (!customer.hasPostalAddress) return false;
    push({ channel, contactId: null, address: null });
    return true;
  };
  const callTask = () => {
    const ph = phoneContact(customer);
    push({ channel: 'call_task', contactId: ph?.id ?? null, address: ph?.phone ?? null });
  };

  for (const ch of wanted) {
    switch (ch) {
      case 'email': {
        if (email) push({ channel: 'email', contactId: email.id, address: email.email });
        else if (postal('letter')) notes.push(`email → letter: ${whyNoEmail(customer)}`);
        else {
          callTask();
          notes.push(`email → call task: ${whyNoEmail(customer)} and no postal address`);
        }
        break;
      }
      case 'sms': {
        const sms = smsContact(customer, settings);
        if (sms) push({ channel: 'sms', contactId: sms.id, address: sms.phone });
        else if (wanted.includes('email') && email)
          notes.push(`SMS dropped: ${whyNoSms(customer)}; the email carries the reminder`);
        else if (email) {
          push({ channel: 'email', contactId: email.id, address: email.email });
          notes.push(`SMS → email: ${whyNoSms(customer)}`);
        } else if (postal('letter'))
          notes.push(`SMS → letter: ${whyNoSms(customer)} and ${whyNoEmail(customer)}`);
        else notes.push(`SMS dropped: ${whyNoSms(customer)}`);
        break;
      }
      case 'letter':
      case 'registered_letter': {
        if (!postal(ch)) {
          callTask();
          notes.push(`${ch.replace('_', ' ')} → call task: no postal address`);
        }
        break;
      }
      case 'call_task':
        callTask();
        break;
      case 'portal_notice':
        push({ channel: 'portal_notice', contactId: null, address: null });
        break;
    }
  }
  // A registered letter already is a letter: never post the same notice twice.
  if (has('registered_letter') && has('letter')) {
    out.splice(
      out.findIndex((x) => x.channel === 'letter'),
      1,
    );
  }
  if (out.length === 0) {
    callTask();
    notes.push('no channel can reach the debtor: call task for a human');
  }
  return { channels: out, notes };
}
