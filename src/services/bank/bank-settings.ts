import { z } from 'zod';
import { DEFAULT_AUTO_THRESHOLD, type MatchOptions } from '../../domain/matching/index.js';
import { AppError } from '../../errors.js';

/**
 * The organisation's cash-application settings (`organisations.settings.bank`):
 * - autoThreshold: confidence (0-100) from which a match is recorded without a person;
 * - shortPaymentToleranceMinor: how much less than due still settles an invoice (bank fees,
 *   rounding), the difference booked to shortPaymentReason.
 */
export const bankSettingsSchema = z
  .object({
    autoThreshold: z.number().int().min(50).max(100).default(DEFAULT_AUTO_THRESHOLD),
    shortPaymentToleranceMinor: z.number().int().min(0).max(100_000).default(0),
    shortPaymentReason: z.string().trim().min(1).max(60).default('bank-fees'),
  })
  .strict();
export type BankSettings = z.output<typeof bankSettingsSchema>;

export function bankSettings(settings: unknown): BankSettings {
  const raw = (settings as { bank?: unknown } | null)?.bank ?? {};
  const parsed = bankSettingsSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      'VALIDATION',
      'The organisation’s bank settings are invalid',
      parsed.error.issues.map((i) => ({ field: `settings.bank.${i.path.join('.')}`, reason: i.message })),
    );
  return parsed.data;
}

export function matchOptions(s: BankSettings): MatchOptions {
  return {
    autoThreshold: s.autoThreshold,
    shortPaymentTolerance: { maxMinor: s.shortPaymentToleranceMinor, reason: s.shortPaymentReason },
  };
}
