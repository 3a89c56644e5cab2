import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRateCsv, parseRateFile } from '../../../src/domain/law/rate-csv.js';
import { builtInRates, mergeRates } from '../../../src/domain/law/rate-table.js';
import { BUILT_IN_RATE_GAPS, BUILT_IN_RATE_ROWS } from '../../../src/domain/law/rates/index.js';
import { readVerifiedFiles } from '../../../src/services/law/verified-rate-files.js';
import { catchError, run } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const sharedLaw = path.resolve(process.env.RELANCE_SHARED_DIR ?? path.resolve(repoRoot, '../shared'), 'law');
const haveShared = existsSync(path.join(sharedLaw, 'ecb_mro_rate_history.verified.csv'));
if (!haveShared) {
  if (process.env.CI) throw new Error(`CI is set but the verified rate files are missing: ${sharedLaw}`);
  console.warn(`[relance tests] ${sharedLaw} is absent: the built-in vs verified rate comparison is skipped`);
}
const fixture = (name: string) => readFileSync(path.resolve(repoRoot, 'test/fixtures/rates', name), 'utf8');

describe.skipIf(!haveShared)('built-in rates = ../shared/law/*.verified.csv', () => {
  const verified = haveShared ? readVerifiedFiles(sharedLaw) : { rows: [], gaps: [] };

  it('has every verified row, figure, date, official citation and status, and nothing else', () => {
    const key = (r: { series: string; effectiveFrom: string }) => `${r.series}@${r.effectiveFrom}`;
    const sort = <T extends { series: string; effectiveFrom: string }>(rows: readonly T[]) =>
      [...rows].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(BUILT_IN_RATE_ROWS)).toEqual(sort(verified.rows));
  });

  it('knows the same missing periods (French taux légal 2026-H2, both categories)', () => {
    expect(BUILT_IN_RATE_GAPS).toEqual(verified.gaps);
    expect(BUILT_IN_RATE_GAPS.map((g) => `${g.series}@${g.period}`)).toEqual([
      'FR_TIL_CONSUMER@2026-H2',
      'FR_TIL_OTHER@2026-H2',
    ]);
  });
});

describe('built-in rates cite official sources', () => {
  it('cites no blog or news site as the source of a row', () => {
    for (const r of BUILT_IN_RATE_ROWS) {
      expect(`${r.series}@${r.effectiveFrom}: ${r.source}`).toMatch(
        /ecb\.europa\.eu|ECB|Arrete|Bundesbank|Bank of England|bankofengland|SI 2002\/1675/,
      );
    }
  });

  it('carries the rows added by the verification: ECB 23 Jul and 16 Sep 2026, three BoE holds', () => {
    const t = builtInRates();
    expect(t.inForce('ECB_MRO', '2026-07-23')).toMatchObject({ rate: '2.40', status: 'corrected' });
    expect(t.inForce('ECB_MRO', '2026-10-28')).toMatchObject({ rate: '2.65', status: 'corrected' });
    for (const d of ['2026-04-30', '2026-07-30', '2026-09-17'])
      expect(t.inForce('BOE_BASE', d)).toMatchObject({ effectiveFrom: d, rate: '3.75', status: 'corrected' });
    // The 29 Oct 2026 ECB outcome was not found: no rate is carried past it.
    expect(catchError(() => t.inForce('ECB_MRO', '2026-10-29')).code).toBe('LAW_NO_RATE');
  });

  it('refuses the 2026-H2 taux légal and says the verification did not find it', () => {
    const err = catchError(() =>
      run({
        jurisdiction: 'FR',
        kind: 'b2c',
        amount: '1000',
        due: '2026-05-31',
        until: '2026-08-31',
        notice: '2026-06-10',
      }),
    );
    expect(err.code).toBe('LAW_NO_RATE');
    expect(err.message).toContain('FR_TIL_OTHER');
    expect(err.message).toContain('NOT FOUND: the June 2026 arrete');
    expect(err.extra).toMatchObject({ rateStatus: 'missing', period: '2026-H2' });
  });

  it('gives each statement its rate sources and status', () => {
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '1000',
      due: '2025-12-31',
      until: '2026-07-31',
    });
    expect(s.rateStatus).toBe('verified');
    expect(s.rateSources.map((r) => `${r.series}@${r.effectiveFrom}:${r.status}`)).toEqual([
      'ECB_MRO@2025-06-11:verified',
      'ECB_MRO@2026-06-17:verified',
    ]);
    expect(s.lines.every((l) => l.rows.every((r) => r.source.includes('ecb.europa.eu')))).toBe(true);
  });
});

describe('relance rates import: the verified format', () => {
  it('reads an ECB verified table with its citations and statuses', () => {
    const f = parseRateFile(fixture('ecb_mro_rate_history.verified.csv'));
    expect(f.layout).toBe('ecb_mro_rate_history');
    expect(f.rows.map((r) => `${r.series}@${r.effectiveFrom}=${r.rate}:${r.status}`)).toEqual([
      'ECB_MRO@2026-06-17=2.40:verified',
      'ECB_MRO@2026-09-16=2.65:corrected',
    ]);
    expect(f.rows[1]?.source).toContain('ecb.mp260910~314e508016');
    expect(f.rows.every((r) => r.origin === 'organisation' && !r.provisional)).toBe(true);
  });

  it('reads both taux légal categories and reports the blank unverified row as a gap, not a row', () => {
    const f = parseRateFile(fixture('fr_taux_interet_legal.verified.csv'));
    expect(f.rows.map((r) => `${r.series}@${r.effectiveFrom}=${r.rate}`)).toEqual([
      'FR_TIL_CONSUMER@2026-01-01=6.67',
      'FR_TIL_OTHER@2026-01-01=2.62',
    ]);
    expect(f.gaps.map((g) => `${g.series}@${g.period}`)).toEqual([
      'FR_TIL_CONSUMER@2026-H2',
      'FR_TIL_OTHER@2026-H2',
    ]);
  });

  it('refuses the derived French B2B table with the files to import instead', () => {
    const err = catchError(() => parseRateFile(fixture('fr_b2b_late_penalty_default_rate.verified.csv')));
    expect(err.code).toBe('IMPORT_REJECTED');
    expect(err.message).toContain('ecb_mro_rate_history.verified.csv');
  });

  it('rejects a bad status and a blank figure on a verified row, naming line and column', () => {
    const text =
      'effective_date,mro_rate_pct,official_source,status\n' +
      '2026-06-17,2.40,ECB press release,confirmed\n' +
      '2026-09-16,,ECB press release,verified\n';
    const err = catchError(() => parseRateFile(text));
    expect(err.code).toBe('IMPORT_REJECTED');
    expect(err.details).toEqual([
      expect.objectContaining({ line: 2, column: 'status', value: 'confirmed' }),
      expect.objectContaining({
        line: 3,
        column: 'mro_rate_pct',
        reason: 'blank figure on a row marked verified',
      }),
    ]);
  });

  it('treats a generic row without a status as unverified, and flags a statement that uses it', () => {
    const rows = parseRateCsv(
      'series,effective_from,rate,source\nFR_TIL_OTHER,2026-07-01,2.90,arrêté du 23 juin 2026\n',
    );
    expect(rows[0]).toMatchObject({ status: 'unverified', provisional: true });
    const confirmed = parseRateCsv(
      'series,effective_from,rate,source,status\nFR_TIL_OTHER,2026-07-01,2.90,arrêté du 23 juin 2026 JORF,verified\n',
    );
    expect(confirmed[0]).toMatchObject({ status: 'verified', provisional: false });

    const input = {
      jurisdiction: 'FR',
      kind: 'b2c' as const,
      amount: '1000',
      due: '2026-05-31',
      until: '2026-08-31',
      notice: '2026-06-10',
    };
    const flagged = run(input, mergeRates(rows));
    expect(flagged.rateStatus).toBe('unverified');
    expect(flagged.warnings.map((w) => w.code)).toContain('PROVISIONAL_RATE');
    expect(flagged.warnings.map((w) => w.message).join('\n')).toContain(
      'UNVERIFIED FR_TIL_OTHER row 2026-07-01',
    );
    const ok = run(input, mergeRates(confirmed));
    expect(ok.rateStatus).toBe('verified');
    expect(ok.warnings).toEqual([]);
  });
});
