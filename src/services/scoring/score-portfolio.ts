/**
 * Score every open invoice (P(late), P(unpaid at +30/60/90), expected date P10/P50/P90) and
 * every customer with open or past invoices (0–100, band, factors; one row per day), with
 * the latest stored model. Features are those known at each invoice's issue date; the
 * customer's are those of a new invoice issued today.
 */
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import {
  type CustomerScoreRow,
  type InvoiceScoreRow,
  latestRiskModel,
  loadScoringLedger,
  replaceInvoiceScores,
  type ScoringLedger,
  upsertCustomerScores,
} from '../../db/queries/risk.js';
import type { Database } from '../../db/schema/index.js';
import { invoiceFeatures } from '../../domain/scoring/dataset.js';
import { fromDay, monthOfDay, toDay } from '../../domain/scoring/days.js';
import { explainCustomer } from '../../domain/scoring/explain.js';
import { buildFeatures, type FeatureQuery } from '../../domain/scoring/features.js';
import { predictInvoice, type RiskModel } from '../../domain/scoring/model.js';
import { AppError } from '../../errors.js';
import { riskModelOf } from './stored-model.js';

export interface ScoreSummary {
  modelVersion: number;
  scoredOn: string;
  invoices: number;
  customers: number;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Customer rows: a hypothetical invoice issued today with the customer's latest amount and terms. */
export function customerQueries(ledger: ScoringLedger['invoices'], todayDay: number): FeatureQuery[] {
  const latest = new Map<string, (typeof ledger)[number]>();
  const openDispute = new Set<string>();
  for (const i of ledger) {
    if (i.issueDay > todayDay) continue;
    const l = latest.get(i.customerId);
    if (!l || i.issueDay > l.issueDay) latest.set(i.customerId, i);
    if (i.disputed && i.settledDay === null) openDispute.add(i.customerId);
  }
  return [...latest.values()].map((i) => ({
    customerId: i.customerId,
    asOfDay: todayDay,
    amountMinor: i.amountMinor,
    termsDays: i.dueDay - i.issueDay,
    disputed: openDispute.has(i.customerId),
    month: monthOfDay(todayDay),
  }));
}

export async function scorePortfolio(
  db: Kysely<Database>,
  orgId: string,
  opts: { today: string; ledger?: ScoringLedger; model?: RiskModel; version?: number },
): Promise<ScoreSummary> {
  const todayDay = toDay(opts.today);
  let model = opts.model;
  let version = opts.version;
  if (!model || version === undefined) {
    const stored = riskModelOf(await withOrg(db, orgId, (trx) => latestRiskModel(trx, orgId)));
    if (stored.version === null)
      throw new AppError('NOT_FOUND', 'no risk model for this organisation: run `relance model train` first');
    model = stored.model;
    version = stored.version;
  }
  const ledger = opts.ledger ?? (await withOrg(db, orgId, (trx) => loadScoringLedger(trx, orgId)));
  const open = ledger.invoices.filter((i) => i.settledDay === null && i.balanceMinor > 0);
  const x = invoiceFeatures(ledger.invoices, ledger.promises, open);
  const invoiceRows: InvoiceScoreRow[] = open.map((inv, k) => {
    const overdue = todayDay - inv.dueDay;
    const p = predictInvoice(model, x.data, k * x.cols, overdue);
    // Not paid yet: no date before today.
    const date = (d: number) => fromDay(inv.dueDay + Math.max(Math.round(d), overdue));
    return {
      invoiceId: inv.id,
      pLate: clamp01(p.pLate),
      pUnpaid30: clamp01(p.pUnpaid30),
      pUnpaid60: clamp01(p.pUnpaid60),
      pUnpaid90: clamp01(p.pUnpaid90),
      expectedDate: date(p.expectedDaysLate),
      p10Date: date(p.daysLateP10),
      p50Date: date(p.daysLateP50),
      p90Date: date(p.daysLateP90),
    };
  });
  const cq = customerQueries(ledger.invoices, todayDay);
  const cx = buildFeatures(ledger.invoices, ledger.promises, cq);
  const customerRows: CustomerScoreRow[] = cq.map((q, k) => {
    const r = explainCustomer(model, cx.data, k * cx.cols);
    return {
      customerId: q.customerId,
      score: r.score,
      band: r.band,
      pLate: clamp01(r.pLate),
      factors: r.factors,
    };
  });
  const scoredOn = fromDay(todayDay);
  const v = version;
  await withOrg(db, orgId, async (trx) => {
    await replaceInvoiceScores(trx, orgId, v, scoredOn, invoiceRows);
    await upsertCustomerScores(trx, orgId, v, scoredOn, customerRows);
  });
  return { modelVersion: v, scoredOn, invoices: invoiceRows.length, customers: customerRows.length };
}
