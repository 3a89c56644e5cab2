/**
 * The risk model's compute at scale (issue 18), without the database: features, training
 * and scoring over a generated ledger with persistent customer habits (test/fixtures/scoring).
 *
 *   npx tsx bench/risk-model.bench.ts [--paid 1000000] [--open 1000000] [--customers 20000]
 *
 * Training builds the features of every paid invoice and trains on the most recent
 * MAX_TRAINING_ROWS of them (decision 033); scoring computes each open invoice's features
 * and its full prediction (P(late), P(unpaid +30/60/90), P10/P50/P90). Reading the ledger
 * from PostgreSQL and writing the scores back are not included here.
 */

import { invoiceFeatures, trainingSet } from '../src/domain/scoring/dataset.js';
import { MAX_TRAINING_ROWS, predictInvoice, trainRiskModel } from '../src/domain/scoring/model.js';
import { syntheticPortfolio } from '../test/fixtures/scoring/synthetic-ar.js';
import { arg, runWhenMain } from './cli.js';

export async function main(argv: string[] = process.argv.slice(2)): Promise<Record<string, unknown>> {
  const paid = Number(arg(argv, 'paid') ?? 1_000_000);
  const open = Number(arg(argv, 'open') ?? 1_000_000);
  const customers = Number(arg(argv, 'customers') ?? 20_000);
  const p = syntheticPortfolio({ seed: 1, customers, invoices: paid + open, days: 1095 });
  // The last `open` invoices issued stay open.
  const ledger = p.invoices.map((inv, k) => (k >= paid ? { ...inv, settledDay: null } : inv));
  const t0 = performance.now();
  let t = t0;
  const set = trainingSet(ledger, [], null, MAX_TRAINING_ROWS);
  const featureSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const model = trainRiskModel(set);
  const trainSeconds = (performance.now() - t) / 1000;
  const openRows = ledger.filter((i) => i.settledDay === null);
  t = performance.now();
  const x = invoiceFeatures(ledger, [], openRows);
  const today = openRows.reduce((m, i) => Math.max(m, i.issueDay), 0);
  let sum = 0;
  for (let k = 0; k < openRows.length; k++) {
    const pr = predictInvoice(model, x.data, k * x.cols, today - (openRows[k]?.dueDay ?? today));
    sum += pr.pUnpaid90;
  }
  const scoreSeconds = (performance.now() - t) / 1000;
  return {
    paidInvoices: paid,
    openInvoices: openRows.length,
    trainingRows: model.trainingRows,
    modelKind: model.kind,
    trainingFeaturesSeconds: Number(featureSeconds.toFixed(1)),
    trainingSeconds: Number(trainSeconds.toFixed(1)),
    scoringSeconds: Number(scoreSeconds.toFixed(1)),
    meanPUnpaid90: Number((sum / openRows.length).toFixed(3)),
    peakRssMb: Math.round(process.memoryUsage().rss / 1e6),
  };
}

runWhenMain(import.meta.url, main);
