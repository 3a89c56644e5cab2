import { z } from 'zod';
import { normalizeBic } from '../sepa/bic.js';
import { ibanProblem, normalizeIban } from '../sepa/iban.js';

/**
 * The organisation's settings as the API and the web app see them, one section per tab.
 * Shared by the server (validation) and the browser (types, messages): every custom message
 * is a stable key (`iban_checksum`, `time_format`…) the UI translates, so a field's error
 * shows in the user's language whatever the server's.
 *
 * Storage keeps the keys the existing readers use: columns of `organisations` for identity,
 * bank and terms; `settings.dunning` (dunningSettingsOf), `settings.channels.smtp`
 * (parseOrgChannelSettings), `settings.senderEmail`/`replyDomain`/`senderName` (senderOf),
 * `settings.portal` (paymentPlanRulesOf, portalSettingsOf). See services/settings/.
 */

/** Empty text means "none": a cleared field is stored as null. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'too_long')
    .nullable()
    .transform((v) => (v === null || v === '' ? null : v));

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** "08:30" → 510; "24:00" → 1440. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

export function hhmmOf(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export const organisationSection = z.object({
  legalName: z.string().trim().min(1, 'required').max(200, 'too_long'),
  siren: optionalText(20)
    .transform((v) => (v === null ? null : v.replace(/[\s.]/g, '')))
    .refine((v) => v === null || /^\d{9}$/.test(v), 'siren_format'),
  vatNumber: optionalText(20)
    .transform((v) => (v === null ? null : v.replace(/\s/g, '').toUpperCase()))
    .refine((v) => v === null || /^[A-Z]{2}[A-Z0-9]{2,13}$/.test(v), 'vat_format'),
  addressLine1: optionalText(200),
  addressLine2: optionalText(200),
  postalCode: optionalText(20),
  city: optionalText(100),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'country_format'),
  email: optionalText(254).refine((v) => v === null || z.email().safeParse(v).success, 'email_format'),
  phone: optionalText(40),
});

export const bankSection = z.object({
  iban: optionalText(50)
    .transform((v) => (v === null ? null : normalizeIban(v)))
    .superRefine((v, ctx) => {
      const p = v === null ? null : ibanProblem(v);
      if (p) ctx.addIssue({ code: 'custom', message: `iban_${p}` });
    }),
  bic: optionalText(20)
    .transform((v) => (v === null ? null : normalizeBic(v)))
    .refine((v) => v === null || /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(v), 'bic_format'),
});

export const termsSection = z.object({
  paymentTermsDays: z.number().int('integer').min(0, 'too_small').max(365, 'too_big'),
  /** Percent per year as a decimal string ("12.5"); null = the statutory rate. */
  latePenaltyRate: optionalText(10)
    .transform((v) => (v === null ? null : v.replace(',', '.')))
    .refine((v) => v === null || /^\d{1,3}(\.\d{1,4})?$/.test(v), 'rate_format'),
  latePenaltyClause: optionalText(2000),
  autoAllocatePayments: z.boolean(),
});

/** SMTP is written as a URL (password included) and read back without the password. */
export const smtpUrlSchema = z
  .string()
  .trim()
  .max(2000, 'too_long')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'smtp_url_format');

export const channelsSection = z.object({
  senderName: optionalText(100),
  senderEmail: optionalText(254).refine((v) => v === null || z.email().safeParse(v).success, 'email_format'),
  /** Replies go to relance+<token>@replyDomain, so answers are tied to the reminder. */
  replyDomain: optionalText(253).refine(
    (v) => v === null || /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i.test(v),
    'domain_format',
  ),
  /** Write only: a URL sets the organisation's SMTP server, null removes it, absent keeps it. */
  smtpUrl: smtpUrlSchema.nullable().optional(),
});

export const contactLimitsSection = z.object({
  maxContactsPer7Days: z.number().int('integer').min(0, 'too_small').max(14, 'too_big'),
  /** Messages go out only between these local times (quiet hours outside). */
  sendWindowStart: z.string().regex(HH_MM, 'time_format'),
  sendWindowEnd: z.string().regex(HH_MM, 'time_format'),
  timeZone: z.string().trim().refine(isTimeZone, 'time_zone_unknown'),
  noSendOnSundays: z.boolean(),
  noSendOnPublicHolidays: z.boolean(),
});

export const paymentPlanSection = z.object({
  maxInstalments: z.number().int('integer').min(1, 'too_small').max(60, 'too_big'),
  maxDurationDays: z.number().int('integer').min(1, 'too_small').max(1830, 'too_big'),
  /** Minor units. */
  minInstalmentMinor: z.number().int('integer').min(1, 'too_small').max(1_000_000_000, 'too_big'),
  maxFirstDateDays: z.number().int('integer').min(0, 'too_small').max(365, 'too_big'),
  minDownPaymentPercent: z
    .string()
    .trim()
    .regex(/^\d{1,2}(\.\d{1,2})?$|^100$/, 'percent_format'),
  maxPromiseDays: z.number().int('integer').min(1, 'too_small').max(365, 'too_big'),
  promiseGraceDays: z.number().int('integer').min(0, 'too_small').max(60, 'too_big'),
});

/** PUT body: any subset of sections, any subset of fields in each. */
export const settingsUpdateSchema = z
  .object({
    organisation: organisationSection.partial(),
    bank: bankSection.partial(),
    terms: termsSection.partial(),
    channels: channelsSection.partial(),
    contactLimits: contactLimitsSection.partial(),
    paymentPlan: paymentPlanSection.partial(),
  })
  .partial()
  .strict();
export type SettingsUpdate = z.input<typeof settingsUpdateSchema>;
export type ParsedSettingsUpdate = z.output<typeof settingsUpdateSchema>;

export const smtpSummarySchema = z.object({
  host: z.string(),
  port: z.number().int(),
  secure: z.boolean(),
  user: z.string().nullable(),
  hasPassword: z.boolean(),
});

export const settingsWarningSchema = z.object({
  field: z.string(),
  code: z.string(),
  message: z.string(),
  /** For FLOOR_BELOW: the legal floor in percent. */
  floor: z.string().optional(),
});
export type SettingsWarning = z.infer<typeof settingsWarningSchema>;

/** GET answer (and PUT's, with the warnings of the values just saved). */
export const settingsViewSchema = z
  .object({
    organisation: z.object({
      legalName: z.string(),
      siren: z.string().nullable(),
      vatNumber: z.string().nullable(),
      addressLine1: z.string().nullable(),
      addressLine2: z.string().nullable(),
      postalCode: z.string().nullable(),
      city: z.string().nullable(),
      country: z.string(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    bank: z.object({ iban: z.string().nullable(), bic: z.string().nullable() }),
    terms: z.object({
      paymentTermsDays: z.number().int(),
      latePenaltyRate: z.string().nullable(),
      latePenaltyClause: z.string().nullable(),
      autoAllocatePayments: z.boolean(),
      jurisdiction: z.string(),
    }),
    channels: z.object({
      senderName: z.string().nullable(),
      senderEmail: z.string().nullable(),
      replyDomain: z.string().nullable(),
      smtp: smtpSummarySchema.nullable(),
    }),
    contactLimits: contactLimitsSection,
    paymentPlan: paymentPlanSection,
    warnings: z.array(settingsWarningSchema),
  })
  .meta({ id: 'Settings' });
export type SettingsView = z.infer<typeof settingsViewSchema>;
