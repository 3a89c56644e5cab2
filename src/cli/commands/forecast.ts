import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { type CashInForecast, forecastCashInForOrg } from '../../services/scoring/forecast-cash-in.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';
import { todayOption } from './model.js';

const major = (minor: number) => (minor / 100).toFixed(2);
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');

export function formatForecast(f: CashInForecast): string {
  const lines = [
    `Expected cash-in from ${f.fromDate}, ${f.weeks} weeks (model ${f.modelVersion === null ? 'prior' : `v${f.modelVersion}`}):`,
  ];
  for (const c of f.currencies) {
    lines.push(
      '',
      `${c.currency}`,
      `${'week of'.padEnd(12)}${'expected'.padStart(14)}${'P10'.padStart(14)}${'P90'.padStart(14)}${'due dates'.padStart(14)}`,
    );
    for (const w of c.weeks)
      lines.push(
        `${w.weekStart.padEnd(12)}${major(w.expectedMinor).padStart(14)}${major(w.p10Minor).padStart(14)}${major(w.p90Minor).padStart(14)}${major(w.naiveMinor).padStart(14)}`,
      );
    lines.push(`${'later'.padEnd(12)}${major(c.laterMinor).padStart(14)}`);
  }
  for (const b of f.backtest)
    lines.push(
      '',
      `Backtest ${b.currency} from ${b.fromDate}: model MAPE ${pct(b.model.mape)}, bias ${pct(b.model.bias)}; naive (due date) MAPE ${pct(b.naive.mape)}, bias ${pct(b.naive.bias)}`,
    );
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  withOrgOption(
    program
      .command('forecast')
      .description('expected collections per week and currency, with P10/P90 and a backtest')
      .option('--weeks <n>', 'weeks ahead', '13')
      .option('--date <YYYY-MM-DD>', 'forecast from that day (default: today)')
      .option('--json', 'machine-readable output'),
  ).action(
    action(async (opts: { org?: string; weeks: string; date?: string; json?: boolean }, cmd: Command) => {
      const weeks = Number(opts.weeks);
      if (!/^\d+$/.test(opts.weeks))
        throw new AppError('VALIDATION', `--weeks "${opts.weeks}" is not a whole number`, [
          { field: 'weeks', value: opts.weeks, reason: 'expected a whole number of weeks (1–52)' },
        ]);
      const today = todayOption(opts.date);
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, opts);
        const f = await forecastCashInForOrg(rt.handle.db, org.id, { today, weeks });
        process.stdout.write(opts.json ? `${JSON.stringify(f, null, 2)}\n` : formatForecast(f));
      });
    }),
  );
}
