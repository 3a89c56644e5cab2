import type { Kysely, Updateable } from 'kysely';
import type { z } from 'zod';
import { parseSmtpUrl } from '../../channels/email/smtp-settings.js';
import { withOrg } from '../../db/connection.js';
import { getOrganisationForUpdate, updateOrganisation } from '../../db/queries/organisation-settings.js';
import type { Database, OrganisationsTable } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import {
  minutesOf,
  type ParsedSettingsUpdate,
  type SettingsView,
  settingsUpdateSchema,
} from '../../domain/settings/schema.js';
import { AppError, type ErrorDetail, notFound } from '../../errors.js';
import { dunningSettingsOf } from '../dunning/dunning-settings.js';
import { loadRateTable } from '../law/load-rates.js';
import { penaltyRateWarnings } from './penalty-warnings.js';
import { settingsViewOf } from './settings-view.js';

const reasons: Record<string, string> = {
  required: 'required',
  too_long: 'too long',
  too_small: 'too small',
  too_big: 'too large',
  integer: 'must be a whole number',
  siren_format: 'a SIREN is 9 digits',
  vat_format: 'not a VAT number (country code and 2 to 13 letters or digits)',
  country_format: 'a two-letter ISO country code',
  email_format: 'not a valid email address',
  iban_format: 'not an IBAN',
  iban_country: 'unknown IBAN country',
  iban_length: 'wrong IBAN length for its country',
  iban_checksum: 'IBAN check digits do not match (a typo?)',
  bic_format: 'a BIC is 8 or 11 letters and digits',
  rate_format: 'a rate in percent per year, e.g. 12.5',
  smtp_url_format: 'expected smtp://user:password@host:port or smtps://…',
  domain_format: 'not a domain name',
  time_format: 'a time HH:MM',
  time_zone_unknown: 'unknown time zone (e.g. Europe/Paris)',
  percent_format: 'a percentage from 0 to 100',
  window_order: 'the sending window must end after it starts',
};

/** Zod issues → field errors. Values are never echoed: a field may hold an SMTP password. */
export function settingsIssues(issues: z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((i) => {
    const key = i.message in reasons ? i.message : i.code;
    return { field: i.path.join('.'), code: key, reason: reasons[key] ?? i.message };
  });
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Json) } : {});

/** Set `key` to `value`, or remove it for null; undefined leaves it alone. */
function put(target: Json, key: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null) delete target[key];
  else target[key] = value;
}

function columnsOf(u: ParsedSettingsUpdate): Updateable<OrganisationsTable> {
  const o = u.organisation ?? {};
  const b = u.bank ?? {};
  const t = u.terms ?? {};
  const c: Updateable<OrganisationsTable> = {
    legal_name: o.legalName,
    siren: o.siren,
    vat_number: o.vatNumber,
    address_line1: o.addressLine1,
    address_line2: o.addressLine2,
    postal_code: o.postalCode,
    city: o.city,
    country: o.country,
    email: o.email,
    phone: o.phone,
    iban: b.iban,
    bic: b.bic,
    default_payment_terms_days: t.paymentTermsDays,
    late_penalty_rate: t.latePenaltyRate,
    late_penalty_clause: t.latePenaltyClause,
    time_zone: u.contactLimits?.timeZone,
  };
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
}

/** The new settings jsonb, keeping every key the readers (dunning, channels, portal) use. */
function mergedSettings(current: unknown, u: ParsedSettingsUpdate): Json {
  const s = obj(current);
  if (u.terms) put(s, 'autoAllocatePayments', u.terms.autoAllocatePayments);
  if (u.channels) {
    const ch = u.channels;
    put(s, 'senderName', ch.senderName);
    put(s, 'senderEmail', ch.senderEmail);
    put(s, 'replyDomain', ch.replyDomain);
    if (ch.smtpUrl !== undefined) {
      const channels = obj(s.channels);
      if (ch.smtpUrl === null) delete channels.smtp;
      else {
        const p = parseSmtpUrl(ch.smtpUrl);
        channels.smtp = {
          host: p.host,
          port: p.port,
          secure: p.secure,
          ...(p.requireTls ? { requireTls: true } : {}),
          ...(p.user ? { user: p.user } : {}),
          ...(p.pass ? { pass: p.pass } : {}),
        };
      }
      s.channels = channels;
    }
  }
  if (u.contactLimits) {
    const l = u.contactLimits;
    const d = obj(s.dunning);
    put(d, 'maxContactsPer7Days', l.maxContactsPer7Days);
    put(
      d,
      'sendWindowStartMinute',
      l.sendWindowStart === undefined ? undefined : minutesOf(l.sendWindowStart),
    );
    put(d, 'sendWindowEndMinute', l.sendWindowEnd === undefined ? undefined : minutesOf(l.sendWindowEnd));
    put(d, 'noSendOnSundays', l.noSendOnSundays);
    put(d, 'noSendOnPublicHolidays', l.noSendOnPublicHolidays);
    // The organisation's time_zone column is the one source; an old override would shadow it.
    if (l.timeZone !== undefined) delete d.defaultTimeZone;
    s.dunning = d;
  }
  if (u.paymentPlan) {
    const { maxPromiseDays, promiseGraceDays, ...plan } = u.paymentPlan;
    const portal = obj(s.portal);
    const pp = obj(portal.paymentPlan);
    for (const [k, v] of Object.entries(plan)) put(pp, k, v);
    portal.paymentPlan = pp;
    put(portal, 'maxPromiseDays', maxPromiseDays);
    put(portal, 'promiseGraceDays', promiseGraceDays);
    s.portal = portal;
  }
  return s;
}

/**
 * Change any subset of an organisation's settings (admin only, checked by the caller).
 * Invalid input answers VALIDATION with one error per field and a stable code; a penalty
 * rate below the legal floor is saved with a warning (the floor applies anyway).
 */
export async function updateSettings(
  db: Kysely<Database>,
  orgId: string,
  input: unknown,
  now: Date,
): Promise<SettingsView> {
  const parsed = settingsUpdateSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'Invalid settings', settingsIssues(parsed.error.issues));
  }
  const u = parsed.data;
  const org = await withOrg(db, orgId, async (trx) => {
    // Locked: two admins saving different tabs at once must not lose each other's keys.
    const current = await getOrganisationForUpdate(trx, orgId);
    if (!current) throw notFound('Organisation', orgId);
    const settings = mergedSettings(current.settings, u);
    const tz = u.contactLimits?.timeZone ?? current.time_zone;
    const d = dunningSettingsOf(settings, tz);
    if (d.sendWindowStartMinute >= d.sendWindowEndMinute) {
      throw new AppError('VALIDATION', 'Invalid settings', [
        { field: 'contactLimits.sendWindowEnd', code: 'window_order', reason: reasons.window_order ?? '' },
      ]);
    }
    return updateOrganisation(
      trx,
      orgId,
      {
        ...columnsOf(u),
        settings: JSON.stringify(settings),
      },
      now,
    );
  });
  const rate = org.late_penalty_rate === null ? null : String(org.late_penalty_rate);
  const warnings = penaltyRateWarnings(
    org.jurisdiction,
    rate,
    zonedParts(now, org.time_zone).date,
    await loadRateTable(db, orgId),
  );
  return settingsViewOf(org, warnings);
}
