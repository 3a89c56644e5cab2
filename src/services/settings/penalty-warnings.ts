import { dec } from '../../domain/law/decimal.js';
import { getJurisdiction } from '../../domain/law/jurisdictions/index.js';
import type { RateTable } from '../../domain/law/rate-table.js';
import { semesterOf } from '../../domain/law/semesters.js';
import type { SettingsWarning } from '../../domain/settings/schema.js';
import { AppError } from '../../errors.js';

/**
 * A contractual late-penalty rate below the legal floor is not refused: the law engine
 * applies the floor instead (France: three times the taux légal, art. L441-10 II C. com.),
 * so the clause is kept and the user is warned that it is not the rate that will be charged.
 */
export function penaltyRateWarnings(
  jurisdiction: string,
  rate: string | null,
  today: string,
  rates: RateTable,
): SettingsWarning[] {
  if (rate === null) return [];
  const field = 'terms.latePenaltyRate';
  try {
    const semester = semesterOf(today);
    const quote = getJurisdiction(jurisdiction).rateFor(semester, 'b2b', rates, dec(rate));
    if (quote.kind !== 'floor') return [];
    return [
      {
        field,
        code: 'FLOOR_APPLIED',
        floor: quote.rate.toString(),
        message: `The contractual rate ${rate} % is below the legal floor ${quote.rate.toString()} % for ${semester.label}; the floor applies (${quote.basis})`,
      },
    ];
  } catch (e) {
    if (e instanceof AppError && e.code === 'LAW_NO_RATE') {
      return [{ field, code: 'NO_RATE', message: `The legal floor cannot be checked: ${e.message}` }];
    }
    throw e;
  }
}
