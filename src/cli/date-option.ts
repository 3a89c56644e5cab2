import type { Kysely } from 'kysely';
import type { Database } from '../db/schema/index.js';
import { type IsoDate, isIsoDate, zonedParts } from '../domain/calendar/index.js';
import { AppError } from '../errors.js';
import { runInstant } from '../services/dunning/run-dunning.js';

export const DATE_OPTION_HELP =
  "act as on that day at the organisation's send time, like `relance run --date` (default: now)";

/**
 * `--date YYYY-MM-DD` as `relance run` reads it: the organisation's local day and the instant
 * of its send time that day (default: now and today in its time zone).
 */
export async function commandDay(
  db: Kysely<Database>,
  org: { id: string; time_zone: string },
  date: string | undefined,
): Promise<{ today: IsoDate; now: Date }> {
  if (date !== undefined && !isIsoDate(date)) {
    throw new AppError('VALIDATION', `--date "${date}" is not a YYYY-MM-DD date`, [
      { field: 'date', value: date, reason: 'expected YYYY-MM-DD' },
    ]);
  }
  const now = await runInstant(db, org.id, date);
  return { today: date ?? zonedParts(now, org.time_zone).date, now };
}
