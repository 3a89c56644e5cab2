import { parseOrgChannelSettings } from '../../channels/registry.js';
import type { Organisation } from '../../db/queries/organisations.js';
import { paymentPlanRulesOf } from '../../domain/portal/payment-plan.js';
import { portalSettingsOf } from '../../domain/portal/promise.js';
import { hhmmOf, type SettingsView, type SettingsWarning } from '../../domain/settings/schema.js';
import { dunningSettingsOf } from '../dunning/dunning-settings.js';

type Stored = {
  senderName?: unknown;
  senderEmail?: unknown;
  replyDomain?: unknown;
  autoAllocatePayments?: unknown;
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * The settings of an organisation, read through the same functions the dunning engine,
 * channels and portal use, so the screen shows what they will actually apply (defaults
 * included). The SMTP password is never part of it.
 */
export function settingsViewOf(org: Organisation, warnings: SettingsWarning[]): SettingsView {
  const s = (org.settings ?? {}) as Record<string, unknown> & Stored;
  const dunning = dunningSettingsOf(org.settings, org.time_zone);
  const plan = paymentPlanRulesOf(s);
  const portal = portalSettingsOf(s);
  let smtp: SettingsView['channels']['smtp'] = null;
  try {
    const c = parseOrgChannelSettings(org.settings).smtp;
    if (c) {
      smtp = {
        host: c.host,
        port: c.port,
        secure: c.secure,
        user: c.user ?? null,
        hasPassword: Boolean(c.pass),
      };
    }
  } catch {
    // An unreadable stored SMTP block shows as "not configured"; saving a URL replaces it.
  }
  return {
    organisation: {
      legalName: org.legal_name,
      siren: org.siren,
      vatNumber: org.vat_number,
      addressLine1: org.address_line1,
      addressLine2: org.address_line2,
      postalCode: org.postal_code,
      city: org.city,
      country: org.country.trim(),
      email: org.email,
      phone: org.phone,
    },
    bank: { iban: org.iban, bic: org.bic },
    terms: {
      paymentTermsDays: org.default_payment_terms_days,
      latePenaltyRate: org.late_penalty_rate === null ? null : normaliseRate(String(org.late_penalty_rate)),
      latePenaltyClause: org.late_penalty_clause,
      autoAllocatePayments: s.autoAllocatePayments === true,
      jurisdiction: org.jurisdiction,
    },
    channels: {
      senderName: str(s.senderName),
      senderEmail: str(s.senderEmail),
      replyDomain: str(s.replyDomain),
      smtp,
    },
    contactLimits: {
      maxContactsPer7Days: dunning.maxContactsPer7Days,
      sendWindowStart: hhmmOf(dunning.sendWindowStartMinute),
      sendWindowEnd: hhmmOf(dunning.sendWindowEndMinute),
      timeZone: dunning.defaultTimeZone,
      noSendOnSundays: dunning.noSendOnSundays,
      noSendOnPublicHolidays: dunning.noSendOnPublicHolidays,
    },
    paymentPlan: {
      maxInstalments: plan.maxInstalments,
      maxDurationDays: plan.maxDurationDays,
      minInstalmentMinor: plan.minInstalmentMinor,
      maxFirstDateDays: plan.maxFirstDateDays,
      minDownPaymentPercent: plan.minDownPaymentPercent,
      maxPromiseDays: portal.maxPromiseDays,
      promiseGraceDays: portal.promiseGraceDays,
    },
    warnings,
  };
}

/** numeric(7,4) comes back as "12.5000": show "12.5". */
function normaliseRate(v: string): string {
  return v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
}
