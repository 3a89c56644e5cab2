import type { RateRow } from './types.js';

/**
 * German Basiszinssatz (§247 BGB), reset on 1 January and 1 July by the change of the ECB
 * main refinancing rate. Transcribed from /work/shared/law/de_basiszinssatz.csv; rows
 * marked "derived" follow §247 from the ECB rows (a unit test re-derives them).
 */
const row = (effectiveFrom: string, rate: string, source: string, provisional = false): RateRow => ({
  series: 'DE_BASISZINS',
  effectiveFrom,
  rate,
  source,
  provisional,
  origin: 'built-in',
});

export const DE_BASISZINS_ROWS: RateRow[] = [
  row(
    '2016-07-01',
    '-0.88',
    'Deutsche Bundesbank releases (lifepr.de): -0.88 % from 1 Jul 2016 to 31 Dec 2022',
  ),
  row('2023-01-01', '1.62', 'boerse-online.de (Bundesbank)'),
  row('2023-07-01', '3.12', 'derived by §247 BGB from the ECB MRO change (+1.50)'),
  row('2024-01-01', '3.62', 'derived by §247 BGB from the ECB MRO change (+0.50)'),
  row('2024-07-01', '3.37', 'derived by §247 BGB from the ECB MRO change (-0.25)'),
  row('2025-01-01', '2.27', 'derived by §247 BGB from the ECB MRO change (-1.10)'),
  row('2025-07-01', '1.27', 'finanzmarktnachrichten.de (Bundesbank)'),
  row('2026-01-01', '1.27', 'finanzmarktnachrichten.de (unchanged from 1 Jan 2026)'),
  row(
    '2026-07-01',
    '1.52',
    'PROVISIONAL: derived from the 11 Jun 2026 ECB hike (single secondary source)',
    true,
  ),
];
