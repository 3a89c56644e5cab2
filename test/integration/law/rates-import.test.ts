import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { listRateRows } from '../../../src/db/queries/rates.js';
import { parseAmount } from '../../../src/domain/money/index.js';
import { AppError } from '../../../src/errors.js';
import { computePenalties } from '../../../src/services/law/compute-penalties.js';
import { importRates } from '../../../src/services/law/import-rates.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const correction = `series,effective_from,rate,source,status
ECB_MRO,2026-06-17,2.15,ECB press release: no change in June 2026,verified
FR_TIL_OTHER,2026-07-01,2.50,Arrêté du 20 juin 2026 (example),verified
FR_TIL_CONSUMER,2026-07-01,6.40,Arrêté du 20 juin 2026 (example),verified
`;
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/rates/${name}`, import.meta.url), 'utf8');

const b2b2026 = {
  jurisdiction: 'FR',
  kind: 'b2b',
  principal: parseAmount('1000', 'EUR'),
  dueDate: '2026-06-30',
  until: '2026-07-31',
};

describeEngines('rate rows loaded by an organisation', (engine) => {
  let t: TestDb;
  let orgA: string;
  let orgB: string;
  beforeAll(async () => {
    t = await createTestDb(engine);
    orgA = (await createOrganisation(t.db, { name: 'Taux Alpha SAS' })).id;
    orgB = (await createOrganisation(t.db, { name: 'Taux Beta SARL' })).id;
  });
  afterAll(async () => t.drop());

  it('loads the rows once and reports a re-import of the same file as unchanged', async () => {
    expect(await importRates(t.db, orgA, correction)).toMatchObject({
      rows: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
    });
    expect(await importRates(t.db, orgA, correction)).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const changed = correction.replace('2.50,', '2.55,');
    expect(await importRates(t.db, orgA, changed)).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const rows = await withOrg(t.db, orgA, (trx) => listRateRows(trx, orgA, 'FR_TIL_OTHER'));
    expect(rows).toEqual([
      expect.objectContaining({
        series: 'FR_TIL_OTHER',
        effectiveFrom: '2026-07-01',
        rate: '2.55',
        origin: 'organisation',
      }),
    ]);
  });

  it("uses the organisation's row over the built-in one and names it", async () => {
    // 2026-H2 with the corrected ECB rate 2.15: 12.15 %; 31 days: 1 000 × 12.15 % × 31 / 365 = 10.319178… → 10.32
    const s = await computePenalties(t.db, orgA, b2b2026);
    expect(s.lines[0]?.ratePct).toBe('12.15');
    expect(s.lines[0]?.rows[0]).toMatchObject({
      origin: 'organisation',
      effectiveFrom: '2026-06-17',
      provisional: false,
      status: 'verified',
    });
    expect(s.totals.interestOutstanding.amount).toBe(1032);
    expect(s.warnings).toEqual([]);
  });

  it('keeps other organisations on the built-in rows', async () => {
    const s = await computePenalties(t.db, orgB, b2b2026);
    expect(s.lines[0]?.ratePct).toBe('12.40');
    expect(s.warnings).toEqual([]);
    expect(s.rateStatus).toBe('verified');
    expect(await withOrg(t.db, orgB, (trx) => listRateRows(trx, orgB))).toEqual([]);
  });

  it('fills a missing half-year: consumer interest for 2026-H2 becomes computable', async () => {
    const input = { ...b2b2026, kind: 'b2c', noticeDate: '2026-06-30' };
    await expect(computePenalties(t.db, orgB, input)).rejects.toMatchObject({ code: 'LAW_NO_RATE' });
    const s = await computePenalties(t.db, orgA, input);
    expect(s.lines[0]).toMatchObject({ ratePct: '2.55', days: 31 });
  });

  it('rejects a bad file whole, listing each problem by line and column', async () => {
    const bad = `series,effective_from,rate,source
ECB_MRO,2027-01-01,2.15,ok
FR_TIL_OTHER,2027-02-01,2.5,not a semester start
XX,2027-01-01,1,unknown series
ECB_MRO,2027-13-01,abc,
`;
    const err = await importRates(t.db, orgA, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const details = (err as AppError).details.map((d) => `${d.line}:${d.column}`);
    expect(details).toEqual(['3:effective_from', '4:series', '5:effective_from', '5:rate', '5:source']);
    const rows = await withOrg(t.db, orgA, (trx) => listRateRows(trx, orgA, 'ECB_MRO'));
    expect(rows.map((r) => r.effectiveFrom)).toEqual(['2026-06-17']);
  });

  it('imports a verified table as is: citations and statuses stored, the blank row reported as a gap', async () => {
    const orgC = (await createOrganisation(t.db, { name: 'Taux Gamma SAS' })).id;
    const r = await importRates(t.db, orgC, fixture('fr_taux_interet_legal.verified.csv'));
    expect(r).toMatchObject({ layout: 'fr_taux_interet_legal', rows: 2, created: 2, unverified: 0 });
    expect(r.gaps.map((g) => `${g.series}@${g.period}`)).toEqual([
      'FR_TIL_CONSUMER@2026-H2',
      'FR_TIL_OTHER@2026-H2',
    ]);
    const e = await importRates(t.db, orgC, fixture('ecb_mro_rate_history.verified.csv'));
    expect(e).toMatchObject({ layout: 'ecb_mro_rate_history', created: 2 });
    const rows = await withOrg(t.db, orgC, (trx) => listRateRows(trx, orgC, 'ECB_MRO'));
    expect(rows.map((x) => `${x.effectiveFrom}:${x.status}:${x.provisional}`)).toEqual([
      '2026-06-17:verified:false',
      '2026-09-16:corrected:false',
    ]);
    expect(rows[1]?.source).toContain('ecb.mp260910~314e508016');
    expect(await importRates(t.db, orgC, fixture('ecb_mro_rate_history.verified.csv'))).toMatchObject({
      unchanged: 2,
    });
  });

  it('flags a statement that uses an organisation row loaded without a status', async () => {
    const orgD = (await createOrganisation(t.db, { name: 'Taux Delta SAS' })).id;
    const r = await importRates(
      t.db,
      orgD,
      'series,effective_from,rate,source\nFR_TIL_OTHER,2026-07-01,2.90,a newsletter\n',
    );
    expect(r.unverified).toBe(1);
    const s = await computePenalties(t.db, orgD, { ...b2b2026, kind: 'b2c', noticeDate: '2026-06-30' });
    expect(s.rateStatus).toBe('unverified');
    expect(s.warnings.map((w) => w.message).join('\n')).toContain('UNVERIFIED FR_TIL_OTHER row 2026-07-01');
  });
});
