import type { RateRow } from './types.js';

/**
 * UK statutory late-payment rate per half-year (reference rate + 8 %), as published
 * (payontime.co.uk). The GB jurisdiction computes the rate from BOE_BASE; this series is
 * shipped as a published cross-check (a unit test asserts both agree) and for display.
 * Transcribed from /work/shared/law/uk_statutory_late_payment_rate.csv.
 */
const table: [string, string][] = [
  ['2020-01-01', '8.75'],
  ['2020-07-01', '8.10'],
  ['2021-01-01', '8.10'],
  ['2021-07-01', '8.10'],
  ['2022-01-01', '8.25'],
  ['2022-07-01', '9.25'],
  ['2023-01-01', '11.50'],
  ['2023-07-01', '13.00'],
  ['2024-01-01', '13.25'],
  ['2024-07-01', '13.25'],
  ['2025-01-01', '12.75'],
  ['2025-07-01', '12.25'],
  ['2026-01-01', '11.75'],
  ['2026-07-01', '11.75'],
];

export const UK_STATUTORY_ROWS: RateRow[] = table.map(([effectiveFrom, rate]) => ({
  series: 'UK_STATUTORY',
  effectiveFrom,
  rate,
  source: 'payontime.co.uk statutory rate table (BoE reference rate + 8 %)',
  provisional: false,
  origin: 'built-in',
}));
