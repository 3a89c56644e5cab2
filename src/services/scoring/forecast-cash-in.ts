/**
 * The 13-week cash-in forecast per currency, from each open invoice's settlement
 * distribution under the latest model, and its backtest: the same forecast made `weeks`
 * weeks ago (a model trained on what was settled by then, the invoices open then) against
 * what actually came in, next to the naive forecast (paid on the due date).
 */
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { type LedgerOpenInvoice, latestRiskModel, loadScoringLedger } from '../../db/queries/risk.js';
import type { Database } from '../../db/schema/index.js';
import { invoiceFeatures, trainingSet } from '../../domain/scoring/dataset.js';
import { fromDay, toDay } from '../../domain/scoring/days.js';
import type { BrokenPromise } from '../../domain/scoring/features.js';
import {
  type BacktestResult,
  backtest,
  type CurrencyForecast,
  forecastCashIn,
  type OpenItem,
} from '../../domain/scoring/forecast.js';
import {
  MAX_TRAINING_ROWS,
  type RiskModel,
  settlementSamples,
  trainRiskModel,
} from '../../domain/scoring/model.js';
import { AppError } from '../../errors.js';
import { riskModelOf } from './stored-model.js';

export interface CashInForecast {
  fromDate: string;
  weeks: number;
  modelVersion: number | null;
  modelKind: RiskModel['kind'];
  currencies: (Omit<CurrencyForecast, 'weeks'> & {
    weeks: {
      weekStart: string;
      expectedMinor: number;
      p10Minor: number;
      p90Minor: number;
      naiveMinor: number;
    }[];
  })[];
  backtest: (Omit<BacktestResult, 'fromDay'> & { fromDate: string })[];
}

function openItems(
  model: RiskModel,
  ledger: readonly LedgerOpenInvoice[],
  promises: readonly BrokenPromise[],
  open: readonly LedgerOpenInvoice[],
  todayDay: number,
  balance: (i: LedgerOpenInvoice) => number,
): OpenItem[] {
  const x = invoiceFeatures(ledger, promises, open);
  return open.map((inv, k) => {
    const samples = settlementSamples(model, x.data, k * x.cols, todayDay - inv.dueDay);
    return {
      currency: inv.currency,
      balanceMinor: balance(inv),
      dueDay: inv.dueDay,
      settlementDays: samples.map((d) => inv.dueDay + Math.round(d)),
    };
  });
}

export async function forecastCashInForOrg(
  db: Kysely<Database>,
  orgId: string,
  opts: { today: string; weeks?: number },
): Promise<CashInForecast> {
  const weeks = opts.weeks ?? 13;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52)
    throw new AppError('VALIDATION', `--weeks: ${weeks} is not a whole number of weeks between 1 and 52`);
  const todayDay = toDay(opts.today);
  const [stored, ledger] = await withOrg(
    db,
    orgId,
    async (trx) => [await latestRiskModel(trx, orgId), await loadScoringLedger(trx, orgId)] as const,
  );
  const { model, version } = riskModelOf(stored);
  const open = ledger.invoices.filter((i) => i.settledDay === null && i.balanceMinor > 0);
  const forecast = forecastCashIn(
    openItems(model, ledger.invoices, ledger.promises, open, todayDay, (i) => i.balanceMinor),
    todayDay,
    weeks,
  );

  // Backtest: stand `weeks` weeks ago, knowing only what was settled by then.
  const asOf = todayDay - 7 * weeks;
  const visible = ledger.invoices
    .filter((i) => i.issueDay < asOf)
    .map((i) => (i.settledDay !== null && i.settledDay >= asOf ? { ...i, settledDay: null } : i));
  const pastPromises = ledger.promises.filter((p) => p.day < asOf);
  const pastModel = trainRiskModel(trainingSet(visible, pastPromises, asOf, MAX_TRAINING_ROWS));
  const openThen = visible.filter((i) => i.settledDay === null);
  const settledLater = new Map(ledger.invoices.map((i) => [i.id, i.settledDay]));
  // Partial payments are not replayed: an invoice open then counts with its gross amount.
  const past = forecastCashIn(
    openItems(pastModel, visible, pastPromises, openThen, asOf, (i) => i.amountMinor),
    asOf,
    weeks,
  );
  const collected = openThen.flatMap((i) => {
    const d = settledLater.get(i.id);
    return d !== null && d !== undefined && d < todayDay
      ? [{ currency: i.currency, day: d, amountMinor: i.amountMinor }]
      : [];
  });
  return {
    fromDate: fromDay(todayDay),
    weeks,
    modelVersion: version,
    modelKind: model.kind,
    currencies: forecast.map((c) => ({
      currency: c.currency,
      laterMinor: c.laterMinor,
      weeks: c.weeks.map((w) => ({
        weekStart: fromDay(w.startDay),
        expectedMinor: w.expectedMinor,
        p10Minor: w.p10Minor,
        p90Minor: w.p90Minor,
        naiveMinor: w.naiveMinor,
      })),
    })),
    backtest: backtest(past, collected).map(({ fromDay: f, ...rest }) => ({ ...rest, fromDate: fromDay(f) })),
  };
}
