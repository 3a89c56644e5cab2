import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../../src/cli/commands/penalties.js';
import type { PenaltyStatement } from '../../../src/domain/law/types.js';

/** Run `relance penalties …` in-process with the command's own register(). */
async function runCli(args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  let out = '';
  let err = '';
  const program = new Command('relance').option('-v, --verbose').exitOverride();
  register(program, { write: (t) => (out += t), today: () => '2025-09-30' });
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'relance', 'penalties', ...args]);
  } finally {
    spy.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, exitCode };
}

afterEach(() => {
  process.exitCode = 0;
});

const issueExample = [
  '--jurisdiction',
  'FR',
  '--kind',
  'b2b',
  '--amount',
  '10000.00',
  '--currency',
  'EUR',
  '--due',
  '2025-03-31',
];

describe('relance penalties', () => {
  it('prints the issue example line by line with the rate rows and totals', async () => {
    const { out, exitCode } = await runCli([
      ...issueExample,
      '--until',
      '2025-09-30',
      '--payment',
      '2025-06-15:4000.00',
    ]);
    expect(exitCode).toBe(0);
    expect(out).toContain('2025-04-01 → 2025-06-15');
    expect(out).toMatch(/13\.15 %\s+273,81 €/);
    expect(out).toContain('row ECB_MRO 3.15 % from 2024-12-18');
    expect(out).toMatch(/2025-06-15\s+4 000,00 €\s+→ interest 273,81 €, principal 3 726,19 €/);
    expect(out).toMatch(/Total due\s+6 539,85 €/);
  });

  it('prints a stable JSON statement with --json', async () => {
    const { out } = await runCli([...issueExample, '--until', '2025-09-30', '--json']);
    const s = JSON.parse(out) as PenaltyStatement;
    expect(Object.keys(s).slice(0, 6)).toEqual([
      'jurisdiction',
      'kind',
      'currency',
      'principal',
      'dueDate',
      'until',
    ]);
    expect(s.totals.totalDue).toEqual({ amount: 1067410, currency: 'EUR' });
    expect(s.lines.map((l) => l.interest.amount)).toEqual([32785, 30625]);
  });

  it('defaults the end date to today and the currency to GBP for GB', async () => {
    const { out } = await runCli([
      '--jurisdiction',
      'UK',
      '--amount',
      '1000',
      '--due',
      '2025-08-31',
      '--json',
    ]);
    const s = JSON.parse(out) as PenaltyStatement;
    expect(s).toMatchObject({ jurisdiction: 'GB', currency: 'GBP', until: '2025-09-30' });
  });

  it('passes the clause, notice date, day count and waivers to the engine', async () => {
    const { out } = await runCli([
      ...issueExample,
      '--kind',
      'b2c',
      '--notice-date',
      '2025-06-30',
      '--day-count',
      '30/360',
      '--rate-clause',
      '1',
      '--waive-indemnity',
      '--json',
    ]);
    const s = JSON.parse(out) as PenaltyStatement;
    expect(s).toMatchObject({
      kind: 'b2c',
      noticeDate: '2025-06-30',
      dayCount: '30/360',
      contractualRate: '1.00',
    });
    // taux légal 2025-H2 2.76 % is the floor of a 1 % consumer clause.
    expect(s.lines[0]).toMatchObject({ ratePct: '2.76', rateKind: 'floor', days: 90 });
  });

  it.each([
    [['--amount', 'abc'], /amount: "abc" is not an amount/],
    [['--payment', '2025-06-15'], /--payment: "2025-06-15" must be DATE:AMOUNT/],
    [['--payment', '2025-06-15:1O0'], /payments\[0\]\.amount/],
    [['--jurisdiction', 'ES'], /jurisdiction: unknown jurisdiction "ES"/],
    [['--until', '2025-01-01'], /until: 2025-01-01 is before the due date 2025-03-31/],
    [['--currency', 'XYZ'], /--currency: unknown currency/],
  ])('refuses bad input %j with a message naming the field', async (patch, message) => {
    const { out, err, exitCode } = await runCli([...issueExample, '--until', '2025-09-30', ...patch]);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(exitCode).toBe(6);
  });

  it('reports a missing rate period instead of printing zero interest', async () => {
    const { out, err, exitCode } = await runCli([
      ...issueExample,
      '--due',
      '2026-12-01',
      '--until',
      '2027-01-31',
    ]);
    expect(out).toBe('');
    expect(err).toMatch(/No ECB_MRO rate for 2027-01-01 \(reference date of 2027-H1\)/);
    expect(exitCode).not.toBe(0);
  });
});
