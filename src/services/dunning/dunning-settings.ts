import { z } from 'zod';
import { DEFAULT_DUNNING_SETTINGS, type DunningSettings } from '../../domain/dunning/index.js';

/** organisations.settings.dunning: every field optional, defaults from the domain. */
export const dunningSettingsSchema = z
  .object({
    maxContactsPer7Days: z.number().int().min(0).max(14),
    sendWindowStartMinute: z.number().int().min(0).max(1439),
    sendWindowEndMinute: z.number().int().min(1).max(1440),
    noSendOnSundays: z.boolean(),
    noSendOnPublicHolidays: z.boolean(),
    holidayCountry: z.string().min(2).max(6),
    defaultTimeZone: z.string().min(1),
    smsRequiresConsent: z.boolean(),
    statementGrouping: z.boolean(),
    catchUpReplay: z.boolean().nullable(),
    /** Days between two steps while a backlog item catches up (null: the policy's spacing). */
    onboardingSpacingDays: z.number().int().min(1).max(90).nullable(),
    /** Days a letter takes to arrive when no receipt is recorded. */
    postalDelayDays: z.number().int().min(0).max(15),
    /** Local time of the daily run (minutes after midnight), 09:00 by default. */
    runAtMinute: z.number().int().min(0).max(1439),
    /** Automatic sends wait for a user's approval before the outbox delivers them. */
    requireApproval: z.boolean(),
  })
  .partial();

export interface OrgDunningSettings extends DunningSettings {
  runAtMinute: number;
  requireApproval: boolean;
}

export function dunningSettingsOf(settings: unknown, orgTimeZone: string): OrgDunningSettings {
  const raw = (settings as { dunning?: unknown } | null)?.dunning ?? {};
  const parsed = dunningSettingsSchema.safeParse(raw);
  const s = parsed.success ? parsed.data : {};
  return {
    ...DEFAULT_DUNNING_SETTINGS,
    defaultTimeZone: orgTimeZone,
    runAtMinute: 9 * 60,
    requireApproval: false,
    ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)),
  };
}
