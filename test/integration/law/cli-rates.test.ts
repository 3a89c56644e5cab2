import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { register as registerPenalties } from '../../../src/cli/commands/penalties.js';
import { register as registerRates } from '../../../src/cli/commands/rates.js';
import { openDatabase } from '../../../src/db/connection.js';
import { migrate } from '../../../src/db/migrate.js';
import type { PenaltyStatement } from '../../../src/domain/law/types.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

/** Run the rates and penalties commands in-process, as `relance …` would. */
async function runCli(args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  let out = '';
  let err = '';
  const write = (t: string) => {
    out += t;
  };
  const program = new Command('relance').option('-v, --verbose').exitOverride();
  registerRates(program, { write });
  registerPenalties(program, { write, today: () => '2026-07-31' });
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'relance', ...args]);
  } finally {
    spy.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, exitCode };
}

describeEngines('relance rates import and penalties --org', (engine) => {
  let t: TestDb | undefined;
  let dir: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relance-law-cli-'));
    // The CLI reads its database from the configuration, like any command.
    process.env.RELANCE_DEMO = 'false';
    if (engine === 'postgres') {
      t = await createTestDb('postgres');
      process.env.DATABASE_URL = t.url;
    } else {
      delete process.env.DATABASE_URL;
      process.env.DATA_DIR = join(dir, 'data');
    }
    const handle = await openDatabase(
      engine === 'postgres'
        ? { databaseUrl: process.env.DATABASE_URL ?? '' }
        : { dataDir: process.env.DATA_DIR ?? '' },
    );
    await migrate(handle);
    await createOrganisation(handle.db, { name: 'Cabinet Taux', slug: 'taux' });
    await handle.close();
  });
  afterAll(async () => {
    process.env = saved;
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const penaltyArgs = [
    'penalties',
    '--jurisdiction',
    'FR',
    '--amount',
    '1000',
    '--due',
    '2026-06-30',
    '--json',
  ];

  it('lists the built-in rows without a database', async () => {
    const list = await runCli(['rates', 'list', '--series', 'ECB_MRO']);
    expect(list.out).toContain(
      '2026-06-17    2.40 %  [verified]  SUPERSEDES single-source/PROVISIONAL flag.',
    );
    expect(list.out).toContain('2026-09-16    2.65 %  [corrected]  ADDED ROW.');
    const til = await runCli(['rates', 'list', '--series', 'FR_TIL_OTHER']);
    expect(til.out).toContain('2026-H2  NOT FOUND (no rate applied): C. mon. fin. L313-2');
    const builtIn = JSON.parse((await runCli(penaltyArgs)).out) as PenaltyStatement;
    expect(builtIn.lines[0]?.ratePct).toBe('12.40');
    expect(builtIn.rateStatus).toBe('verified');
    expect(builtIn.rateSources[0]?.source).toContain('ecb.mp260611~4d41bd5e83');
  });

  // Each command opens the database like a real `relance` run: slow for the embedded engine.
  it('imports a rate file for an organisation', { timeout: 180_000 }, async () => {
    const file = join(dir, 'rates.csv');
    writeFileSync(
      file,
      'series,effective_from,rate,source\nECB_MRO,2026-06-17,2.15,ECB: no change in June 2026\n',
    );
    const imported = await runCli(['rates', 'import', file, '--org', 'taux']);
    expect(imported.err).toBe('');
    expect(imported.out).toMatch(
      /Loaded 1 rate row\(s\) for taux \(ECB_MRO\): 1 new, 0 updated, 0 unchanged/,
    );
  });

  it("uses the organisation's rows with penalties --org", { timeout: 180_000 }, async () => {
    const withOrg = JSON.parse((await runCli([...penaltyArgs, '--org', 'taux'])).out) as PenaltyStatement;
    expect(withOrg.lines[0]?.ratePct).toBe('12.15');
    expect(withOrg.lines[0]?.rows[0]?.origin).toBe('organisation');
  });

  it('rejects a bad rate file with line and column, exit code 7', { timeout: 180_000 }, async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'series,effective_from,rate,source\nFR_TIL_OTHER,2026-08-01,2.5,x\n');
    const r = await runCli(['rates', 'import', file, '--org', 'taux']);
    expect(r.exitCode).toBe(7);
    expect(r.err).toMatch(/line 2, effective_from, "2026-08-01": FR_TIL_OTHER is set per half-year/);
  });
});
