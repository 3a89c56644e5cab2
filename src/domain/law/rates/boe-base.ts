import type { RateRow } from './types.js';

/**
 * Bank of England Bank Rate by effective date. Transcribed from
 * /work/shared/law/boe_bank_rate_history.csv; "HOLD" rows confirm an unchanged rate.
 */
const row = (effectiveFrom: string, rate: string, source: string): RateRow => ({
  series: 'BOE_BASE',
  effectiveFrom,
  rate,
  source,
  provisional: false,
  origin: 'built-in',
});

export const BOE_BASE_ROWS: RateRow[] = [
  row('2018-08-02', '0.75', 'BoE Bank Rate history; in force on 31 Dec 2019'),
  row('2020-03-11', '0.25', 'BoE Bank Rate history'),
  row('2020-03-19', '0.10', 'BoE Bank Rate history'),
  row('2021-12-16', '0.25', 'BoE Bank Rate history'),
  row('2022-02-03', '0.50', 'BoE Bank Rate history'),
  row('2022-03-17', '0.75', 'BoE Bank Rate history'),
  row('2022-05-05', '1.00', 'BoE Bank Rate history'),
  row('2022-06-16', '1.25', 'vlex.co.uk (Huddersfield Daily Examiner 17 Jun 2022)'),
  row('2022-08-04', '1.75', 'caymanmama.com (2022-08-04)'),
  row('2022-09-22', '2.25', 'BoE Bank Rate history'),
  row('2022-11-03', '3.00', 'BoE Bank Rate history'),
  row('2022-12-15', '3.50', 'BoE Bank Rate history'),
  row('2023-02-02', '4.00', 'cmegroup.com (previous 4.0 % at March 2023 meeting)'),
  row('2023-03-23', '4.25', 'cmegroup.com econoday 2023-03'),
  row('2023-05-11', '4.50', 'players.bio'),
  row('2023-06-22', '5.00', 'internationalinvestment.net (2023-06-22)'),
  row('2023-08-03', '5.25', 'cmegroup.com econoday 2024-03'),
  row('2024-08-01', '5.00', 'headlinesportal.com (held at 5 % Sept 2024)'),
  row('2024-11-07', '4.75', 'BoE Bank Rate history'),
  row('2025-02-06', '4.50', 'BoE Bank Rate history'),
  row('2025-05-08', '4.25', 'mnimarkets.com; xtb.com'),
  row('2025-08-07', '4.00', 'particle.news (held at 4.0 % Nov 2025)'),
  row('2025-12-18', '3.75', 'independent.co.uk (cut Dec 2025); news.az 2026-02-05'),
  row('2026-02-05', '3.75', 'HOLD 5-4, kpmg.com; news.az'),
  row('2026-03-19', '3.75', 'HOLD 9-0, hedgwatch.com (fxmacrodata.com wrongly reports a cut)'),
  row('2026-06-18', '3.75', 'HOLD 7-2, livesquawk.com'),
];
