import type { RateRow } from './types.js';

/**
 * French taux d'intérêt légal (L313-2 and D313-1-A CMF), one row per half-year in its two
 * categories: the creditor is a natural person not acting for professional purposes
 * (FR_TIL_CONSUMER), and all other cases (FR_TIL_OTHER, the one a business creditor uses).
 * Transcribed from /work/shared/law/fr_taux_interet_legal.csv. 2026-H2 was not found: the
 * series stops at 2026-06-30 and a later period is a missing-rate error until imported.
 */
const table: [semesterStart: string, consumer: string, other: string, source: string][] = [
  ['2020-01-01', '3.15', '0.87', 'laclef.eu table; cabinet-cec.fr'],
  ['2020-07-01', '3.11', '0.84', 'laclef.eu; cabinet-cec.fr'],
  ['2021-01-01', '3.14', '0.79', 'laclef.eu; dandrel-avocats.fr'],
  ['2021-07-01', '3.12', '0.76', 'laclef.eu; dandrel-avocats.fr'],
  ['2022-01-01', '3.13', '0.76', 'laclef.eu; droit-pratique.fr'],
  ['2022-07-01', '3.15', '0.77', 'laclef.eu'],
  ['2023-01-01', '4.47', '2.06', 'laclef.eu; leanpay.fr'],
  ['2023-07-01', '6.82', '4.22', 'laclef.eu; leanpay.fr'],
  ['2024-01-01', '8.01', '5.07', 'laclef.eu'],
  ['2024-07-01', '8.16', '4.92', 'laclef.eu'],
  ['2025-01-01', '7.21', '3.71', 'laclef.eu; ksca.fr'],
  ['2025-07-01', '6.65', '2.76', 'laclef.eu; arrêté du 19 juin 2025'],
  ['2026-01-01', '6.67', '2.62', 'Arrêté du 15 décembre 2025, JORF 26 déc. 2025 (juriblio.fr)'],
];

export const FR_TIL_ROWS: RateRow[] = table.flatMap(([effectiveFrom, consumer, other, source]) => [
  {
    series: 'FR_TIL_CONSUMER',
    effectiveFrom,
    rate: consumer,
    source,
    provisional: false,
    origin: 'built-in',
  },
  { series: 'FR_TIL_OTHER', effectiveFrom, rate: other, source, provisional: false, origin: 'built-in' },
]);
