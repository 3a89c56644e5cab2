import type { Command } from 'commander';
import { isIsoDate } from '../../domain/calendar/index.js';
import { fromDay } from '../../domain/scoring/days.js';
import type { Evaluation, MethodMetrics } from '../../domain/scoring/evaluate.js';
import { AppError } from '../../errors.js';
import { evaluateRiskModel } from '../../services/scoring/evaluate-risk-model.js';
import { trainRiskModelForOrg } from '../../services/scoring/train-risk-model.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';

export function todayOption(date: string | undefined): string {
  if (date === undefined) return new Date().toISOString().slice(0, 10);
  if (!isIsoDate(date))
    throw new AppError('VALIDATION', `--date "${date}" is not a YYYY-MM-DD date`, [
      { field: 'date', value: date, reason: 'expected YYYY-MM-DD' },
    ]);
  return date;
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '—');

/** The evaluation as a table: every metric next to both baselines, then the calibration table. */
export function formatEvaluation(e: Evaluation): string {
  const cols: [string, MethodMetrics][] = [
    ['model', e.model],
    ['customer late rate', e.baselineHistory],
    ['paid on due date', e.baselineDueDate],
  ];
  const rows: [string, (m: MethodMetrics) => string][] = [
    ['AUC (late)', (m) => f3(m.auc)],
    ['accuracy', (m) => f3(m.accuracy)],
    ['precision', (m) => f3(m.precision)],
    ['recall', (m) => f3(m.recall)],
    ['Brier score', (m) => f3(m.brier)],
    ['MAE days to settle', (m) => f2(m.mae)],
    ['RMSE days to settle', (m) => f2(m.rmse)],
  ];
  const w0 = 22;
  const w = 20;
  const lines = [
    `Trained on ${e.trainingRows} invoices settled before ${fromDay(e.cutDay)} (${e.modelKind}${e.note ? `: ${e.note}` : ''}).`,
    `Tested on ${e.testRows} paid invoices issued on or after it; ${(e.testLateRate * 100).toFixed(1)} % were paid late.`,
    '',
    `${'metric'.padEnd(w0)}${cols.map(([n]) => n.padStart(w)).join('')}`,
    ...rows.map(([name, get]) => `${name.padEnd(w0)}${cols.map(([, m]) => get(m).padStart(w)).join('')}`),
    '',
    'Calibration (model):',
    `${'predicted'.padEnd(w0)}${'invoices'.padStart(10)}${'mean predicted'.padStart(16)}${'observed late'.padStart(16)}`,
    ...e.calibration.map(
      (b) =>
        `${`${b.from.toFixed(1)}–${b.to.toFixed(1)}`.padEnd(w0)}${String(b.count).padStart(10)}${f3(b.meanPredicted).padStart(16)}${f3(b.observedRate).padStart(16)}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  const model = program.command('model').description('the payment-risk model learned from your own ledger');
  withOrgOption(
    model
      .command('train')
      .description(
        'train a new model version on the paid history, store it with its metrics, score the portfolio',
      )
      .option('--date <YYYY-MM-DD>', 'train as of that day (default: today)')
      .option('--json', 'machine-readable output'),
  ).action(
    action(async (opts: { org?: string; date?: string; json?: boolean }, cmd: Command) => {
      const today = todayOption(opts.date);
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, opts);
        const r = await trainRiskModelForOrg(rt.handle.db, org.id, { today });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `Model v${r.version} (${r.kind}) trained on ${r.trainingRows} paid invoices${r.note ? ` — prior: ${r.note}` : ''}.\n`,
        );
        if (r.holdout)
          process.stdout.write(
            `Holdout (last fifth of the history): AUC ${f3(r.holdout.model.auc)} (customer late rate ${f3(r.holdout.baselineHistory.auc)}), accuracy ${f3(r.holdout.model.accuracy)}, RMSE ${f2(r.holdout.model.rmse)} days (due date ${f2(r.holdout.baselineDueDate.rmse)}).\n`,
          );
        process.stdout.write(
          `Scored ${r.scores.invoices} open invoice(s) and ${r.scores.customers} customer(s) on ${r.scores.scoredOn}.\n`,
        );
      });
    }),
  );
  withOrgOption(
    model
      .command('evaluate')
      .description(
        'train on invoices settled before DATE, test on those issued from DATE, next to two baselines',
      )
      .requiredOption('--train-until <YYYY-MM-DD>', 'the cut date')
      .option('--json', 'machine-readable output'),
  ).action(
    action(async (opts: { org?: string; trainUntil: string; json?: boolean }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, opts);
        const e = await evaluateRiskModel(rt.handle.db, org.id, { trainUntil: opts.trainUntil });
        if (opts.json)
          process.stdout.write(`${JSON.stringify({ ...e, cutDate: fromDay(e.cutDay) }, null, 2)}\n`);
        else process.stdout.write(formatEvaluation(e));
      });
    }),
  );
}
