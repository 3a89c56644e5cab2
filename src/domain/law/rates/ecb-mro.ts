import type { RateRow } from './types.js';

/**
 * ECB main refinancing operations rate (fixed-rate tenders), by effective date.
 * Transcribed from /work/shared/law/ecb_mro_rate_history.csv (research of mid-2026); rows
 * marked "HOLD" confirm the rate was unchanged at that meeting. The June 2026 hike rests on
 * one secondary source: provisional, users can correct it with `relance rates import`.
 */
const row = (effectiveFrom: string, rate: string, source: string, provisional = false): RateRow => ({
  series: 'ECB_MRO',
  effectiveFrom,
  rate,
  source,
  provisional,
  origin: 'built-in',
});

export const ECB_MRO_ROWS: RateRow[] = [
  row('2016-03-16', '0.00', 'ECB key rates table; in force 2019-01-01..2022-07-26 (fxstreet.com 2019-06-06)'),
  row('2019-09-18', '0.00', 'ECB; MRO unchanged (deposit rate cut to -0.50)'),
  row('2022-07-27', '0.50', 'ECB press release, with effect from 27 July 2022 (breakinglatest.news)'),
  row('2022-09-14', '1.25', 'ECB key rates table'),
  row('2022-11-02', '2.00', 'stern.de (Hauptrefinanzierungssatz steigt auf zwei Prozent)'),
  row('2022-12-21', '2.50', 'wiwo.de; BOE Spain resolution for 2023-H1'),
  row('2023-02-08', '3.00', 'ECB key rates table'),
  row('2023-03-22', '3.50', 'ECB key rates table'),
  row('2023-05-10', '3.75', 'lessentiel.lu'),
  row('2023-06-21', '4.00', 'mayberryinv.com / sofokleous10.gr (effective 21 June 2023)'),
  row('2023-08-02', '4.25', 'ECB key rates table; wionews 2023-07-28'),
  row('2023-09-20', '4.50', 'lalibre.be (à compter du 20 septembre 2023)'),
  row('2024-06-12', '4.25', 'laragione.eu (con effetto dal 12 giugno 2024)'),
  row('2024-09-18', '3.65', 'litefinance.org; ECB key rates table'),
  row('2024-10-23', '3.40', 'ECB key rates table'),
  row('2024-12-18', '3.15', 'orientelegal.es (BCE 3,15 % for Spain 2025-H1)'),
  row('2025-02-05', '2.90', 'ECB key rates table'),
  row('2025-03-12', '2.65', 'ECB key rates table'),
  row('2025-04-23', '2.40', 'ECB key rates table'),
  row('2025-06-11', '2.15', 'deenazaidi.com (with effect from 11 June 2025); finanzmarktnachrichten.de'),
  row('2026-02-05', '2.15', 'HOLD, brusselstimes.com 2026-02-05'),
  row('2026-03-19', '2.15', 'HOLD, vibetrader.com'),
  row('2026-04-30', '2.15', 'HOLD, blog.drahim.trade'),
  row(
    '2026-06-17',
    '2.40',
    'PROVISIONAL: hike decided 11 June 2026 per rbtfl.xyz citing ECB release ecb.mp260611 (single secondary source); effective date assumed',
    true,
  ),
];
