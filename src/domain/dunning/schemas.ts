import { z } from 'zod';
import { AppError } from '../../errors.js';
import { DUNNING_CHANNELS, type DunningPolicy, TASK_KINDS, validatePolicy } from './policy.js';
import { DEFAULT_DUNNING_SETTINGS, type DunningSettings } from './types.js';

/**
 * Validation of policies a user edits (API, CLI import) and of the organisation's dunning
 * settings (organisations.settings.dunning). Structural zod checks first, then the policy's
 * own rules (validatePolicy); every problem is reported with its field.
 */
const minorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const policyStepSchema = z.object({
  key: z.string().min(1).max(63),
  label: z.string().min(1).max(120),
  offsetDays: z.number().int().min(-365).max(3650),
  latestOffsetDays: z.number().int().min(-365).max(3650).optional(),
  channels: z.array(z.enum(DUNNING_CHANNELS as [string, ...string[]])).max(6),
  templateKey: z.string().min(1).max(63),
  tone: z.enum(['courteous', 'firm', 'formal', 'legal']),
  conditions: z
    .object({
      minAmountMinor: minorUnits.optional(),
      segments: z.array(z.string().min(1)).optional(),
      customerKinds: z.array(z.enum(['b2b', 'b2c'])).optional(),
      riskBands: z.array(z.enum(['low', 'medium', 'high'])).optional(),
    })
    .strict()
    .optional(),
  sideEffects: z
    .object({
      creditHold: z.boolean().optional(),
      notifyOwner: z.boolean().optional(),
      createTask: z
        .object({ kind: z.enum(TASK_KINDS as [string, ...string[]]), title: z.string().min(1) })
        .optional(),
    })
    .strict()
    .optional(),
  decisionTask: z
    .object({
      title: z.string().min(1),
      options: z.array(z.enum(['legal_action', 'collection_agency', 'write_off', 'payment_plan'])).min(1),
    })
    .optional(),
  deadlineDays: z.number().int().min(1).max(365).optional(),
});

export const policySchema = z.object({
  id: z.string().min(1),
  key: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/),
  name: z.string().min(1).max(200),
  version: z.number().int().min(1),
  kind: z.enum(['b2b', 'b2c', 'any']),
  automaticSends: z.boolean(),
  replayMissedSteps: z.boolean(),
  steps: z.array(policyStepSchema).min(1).max(20),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** What an organisation may set; minutes are written as "08:00" for humans. */
export const dunningSettingsSchema = z
  .object({
    maxContactsPer7Days: z.number().int().min(0).max(50),
    sendWindowStart: hhmm,
    sendWindowEnd: hhmm,
    noSendOnSundays: z.boolean(),
    noSendOnPublicHolidays: z.boolean(),
    holidayCountry: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/),
    defaultTimeZone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'unknown IANA time zone'),
    smsRequiresConsent: z.boolean(),
    statementGrouping: z.boolean(),
    catchUpReplay: z.boolean().nullable(),
    onboardingSpacingDays: z.number().int().min(1).max(90).nullable(),
    postalDelayDays: z.number().int().min(0).max(15),
  })
  .partial()
  .strict();

function issuesToDetails(issues: z.core.$ZodIssue[]) {
  return issues.map((i) => ({ field: i.path.join('.') || '(root)', reason: i.message }));
}

export function parsePolicy(input: unknown): DunningPolicy {
  const r = policySchema.safeParse(input);
  if (!r.success) throw new AppError('VALIDATION', 'invalid dunning policy', issuesToDetails(r.error.issues));
  const policy = r.data as DunningPolicy;
  const problems = validatePolicy(policy);
  if (problems.length > 0) throw new AppError('VALIDATION', 'invalid dunning policy', problems);
  return policy;
}

const toMinute = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** organisations.settings.dunning (partial, possibly absent) over the defaults. */
export function resolveDunningSettings(input: unknown): DunningSettings {
  if (input === undefined || input === null) return { ...DEFAULT_DUNNING_SETTINGS };
  const r = dunningSettingsSchema.safeParse(input);
  if (!r.success)
    throw new AppError('VALIDATION', 'invalid dunning settings', issuesToDetails(r.error.issues));
  const { sendWindowStart, sendWindowEnd, ...rest } = r.data;
  const out: DunningSettings = { ...DEFAULT_DUNNING_SETTINGS };
  for (const [k, v] of Object.entries(rest))
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  if (sendWindowStart) out.sendWindowStartMinute = toMinute(sendWindowStart);
  if (sendWindowEnd) out.sendWindowEndMinute = toMinute(sendWindowEnd);
  if (out.sendWindowStartMinute >= out.sendWindowEndMinute)
    throw new AppError('VALIDATION', 'invalid dunning settings', [
      { field: 'sendWindowEnd', reason: 'the send window must end after it starts' },
    ]);
  return out;
}
