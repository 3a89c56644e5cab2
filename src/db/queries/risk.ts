/** Reads and writes of the risk model (migration 0060). `db` first, scoped by organisation. */
import { type Kysely, sql } from 'kysely';
import { toDay } from '../../domain/scoring/days.js';
import type { BrokenPromise, LedgerInvoice } from '../../domain/scoring/features.js';
import type { Database } from '../schema/index.js';

const day = (v: unknown) => toDay(v instanceof Date ? v.toISOString() : String(v));

export interface LedgerOpenInvoice extends LedgerInvoice {
  invoiceNumber: string;
  balanceMinor: number;
}

export interface ScoringLedger {
  /** Paid invoices (with their settlement day) and open ones; credited or written-off ones are left out. */
  invoices: LedgerOpenInvoice[];
  promises: BrokenPromise[];
}

/**
 * The ledger as the model sees it. An invoice is settled on the date of the last payment
 * allocated to it once its status is 'paid'; disputed if flagged or if it ever had a dispute.
 */
export async function loadScoringLedger(db: Kysely<Database>, orgId: string): Promise<ScoringLedger> {
  const rows = await sql<{
    id: string;
    customer_id: string;
    invoice_number: string;
    issue_date: string;
    due_date: string;
    gross_minor: number;
    balance_minor: number;
    currency: string;
    status: string;
    disputed: boolean;
    settled_on: string | null;
  }>`
    select i.id, i.customer_id, i.invoice_number, i.issue_date, i.due_date, i.gross_minor,
      i.balance_minor, i.currency::text as currency, i.status,
      (i.disputed or d.invoice_id is not null) as disputed,
      case when i.status = 'paid' then s.settled_on end as settled_on
    from invoices i
    left join (
      select a.invoice_id, max(p.received_on) as settled_on
      from allocations a
      join payments p on p.org_id = a.org_id and p.id = a.payment_id
      where a.org_id = ${orgId} and a.payment_id is not null
      group by a.invoice_id
    ) s on s.invoice_id = i.id
    left join (select distinct invoice_id from disputes where org_id = ${orgId}) d on d.invoice_id = i.id
    where i.org_id = ${orgId}
      and (i.status = 'paid' or i.balance_minor > 0)
  `.execute(db);
  const invoices: LedgerOpenInvoice[] = [];
  for (const r of rows.rows) {
    const paid = r.status === 'paid';
    // A paid invoice with no payment (settled by credit notes) says nothing about timing.
    if (paid && r.settled_on === null) continue;
    invoices.push({
      id: r.id,
      customerId: r.customer_id,
      invoiceNumber: r.invoice_number,
      issueDay: day(r.issue_date),
      dueDay: day(r.due_date),
      amountMinor: Number(r.gross_minor),
      balanceMinor: Number(r.balance_minor),
      currency: r.currency,
      disputed: Boolean(r.disputed),
      settledDay: paid ? day(r.settled_on) : null,
    });
  }
  const promises = await sql<{ customer_id: string; broken_on: string }>`
    select customer_id, coalesce((resolved_at at time zone 'UTC')::date, promised_date) as broken_on
    from promises_to_pay where org_id = ${orgId} and status = 'broken'
  `.execute(db);
  return {
    invoices,
    promises: promises.rows.map((p) => ({ customerId: p.customer_id, day: day(p.broken_on) })),
  };
}

export interface StoredModel {
  version: number;
  kind: 'gbdt' | 'prior';
  trainedAt: Date;
  trainedUntil: string;
  trainingRows: number;
  metrics: Record<string, unknown>;
  note: string | null;
  model: Record<string, unknown>;
}

export async function latestRiskModel(db: Kysely<Database>, orgId: string): Promise<StoredModel | null> {
  const r = await db
    .selectFrom('risk_models')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toStored(r) : null;
}

export async function listRiskModels(
  db: Kysely<Database>,
  orgId: string,
): Promise<Omit<StoredModel, 'model'>[]> {
  const rows = await db
    .selectFrom('risk_models')
    .select(['version', 'kind', 'trained_at', 'trained_until', 'training_rows', 'metrics', 'note'])
    .where('org_id', '=', orgId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    kind: r.kind,
    trainedAt: r.trained_at,
    trainedUntil: String(r.trained_until),
    trainingRows: r.training_rows,
    metrics: r.metrics,
    note: r.note,
  }));
}

function toStored(r: {
  version: number;
  kind: 'gbdt' | 'prior';
  trained_at: Date;
  trained_until: string;
  training_rows: number;
  metrics: Record<string, unknown>;
  note: string | null;
  model: Record<string, unknown>;
}): StoredModel {
  return {
    version: r.version,
    kind: r.kind,
    trainedAt: r.trained_at,
    trainedUntil: String(r.trained_until),
    trainingRows: r.training_rows,
    metrics: r.metrics,
    note: r.note,
    model: r.model,
  };
}

/** The next version number, taken under a lock on the organisation row (two trainings in a row
 * never collide). */
export async function insertRiskModel(
  db: Kysely<Database>,
  orgId: string,
  m: Omit<StoredModel, 'version' | 'trainedAt'>,
): Promise<number> {
  await sql`select 1 from organisations where id = ${orgId} for update`.execute(db);
  const last = await db
    .selectFrom('risk_models')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  const version = Number(last?.v ?? 0) + 1;
  await db
    .insertInto('risk_models')
    .values({
      org_id: orgId,
      version,
      kind: m.kind,
      trained_until: m.trainedUntil,
      training_rows: m.trainingRows,
      metrics: JSON.stringify(m.metrics),
      note: m.note,
      model: JSON.stringify(m.model),
    })
    .execute();
  return version;
}

export interface InvoiceScoreRow {
  invoiceId: string;
  pLate: number;
  pUnpaid30: number;
  pUnpaid60: number;
  pUnpaid90: number;
  expectedDate: string;
  p10Date: string;
  p50Date: string;
  p90Date: string;
}

/** Replace the organisation's invoice scores, in batches of one statement each. */
export async function replaceInvoiceScores(
  db: Kysely<Database>,
  orgId: string,
  version: number,
  scoredOn: string,
  rows: readonly InvoiceScoreRow[],
): Promise<void> {
  await db.deleteFrom('invoice_risk_scores').where('org_id', '=', orgId).execute();
  const BATCH = 5000;
  for (let s = 0; s < rows.length; s += BATCH) {
    const b = rows.slice(s, s + BATCH);
    await sql`
      insert into invoice_risk_scores (org_id, invoice_id, model_version, scored_on, p_late,
        p_unpaid_30, p_unpaid_60, p_unpaid_90, expected_date, p10_date, p50_date, p90_date)
      select ${orgId}, u.*
      from unnest(${b.map((r) => r.invoiceId)}::uuid[],
        ${b.map(() => version)}::int[], ${b.map(() => scoredOn)}::date[],
        ${b.map((r) => r.pLate)}::float8[], ${b.map((r) => r.pUnpaid30)}::float8[],
        ${b.map((r) => r.pUnpaid60)}::float8[], ${b.map((r) => r.pUnpaid90)}::float8[],
        ${b.map((r) => r.expectedDate)}::date[], ${b.map((r) => r.p10Date)}::date[],
        ${b.map((r) => r.p50Date)}::date[], ${b.map((r) => r.p90Date)}::date[]) as u
    `.execute(db);
  }
}

export interface CustomerScoreRow {
  customerId: string;
  score: number;
  band: 'faible' | 'moyen' | 'eleve' | 'critique';
  pLate: number;
  factors: unknown[];
}

/** Today's score of each customer (a second run the same day replaces it). */
export async function upsertCustomerScores(
  db: Kysely<Database>,
  orgId: string,
  version: number,
  scoredOn: string,
  rows: readonly CustomerScoreRow[],
): Promise<void> {
  const BATCH = 5000;
  for (let s = 0; s < rows.length; s += BATCH) {
    const b = rows.slice(s, s + BATCH);
    await sql`
      insert into customer_risk_scores (org_id, customer_id, scored_on, model_version, score, band, p_late, factors)
      select ${orgId}, u.customer_id, ${scoredOn}::date, ${version}, u.score, u.band, u.p_late, u.factors::jsonb
      from unnest(${b.map((r) => r.customerId)}::uuid[], ${b.map((r) => r.score)}::int[],
        ${b.map((r) => r.band)}::text[], ${b.map((r) => r.pLate)}::float8[],
        ${b.map((r) => JSON.stringify(r.factors))}::text[]) as u(customer_id, score, band, p_late, factors)
      on conflict (org_id, customer_id, scored_on) do update set
        model_version = excluded.model_version, score = excluded.score, band = excluded.band,
        p_late = excluded.p_late, factors = excluded.factors
    `.execute(db);
  }
}

export interface CustomerRiskView {
  customerId: string;
  externalRef: string;
  name: string;
  scoredOn: string;
  modelVersion: number;
  score: number;
  band: string;
  pLate: number;
  factors: unknown[];
}

/** The latest score of each customer, riskiest first. */
export async function customersAtRisk(
  db: Kysely<Database>,
  orgId: string,
  limit: number,
  minScore = 0,
): Promise<CustomerRiskView[]> {
  const r = await sql<{
    customer_id: string;
    external_ref: string;
    name: string;
    scored_on: string;
    model_version: number;
    score: number;
    band: string;
    p_late: number;
    factors: unknown[];
  }>`
    select distinct on (s.customer_id) s.customer_id, c.external_ref, c.name, s.scored_on::text as scored_on,
      s.model_version, s.score, s.band, s.p_late, s.factors
    from customer_risk_scores s
    join customers c on c.org_id = s.org_id and c.id = s.customer_id
    where s.org_id = ${orgId}
    order by s.customer_id, s.scored_on desc
  `.execute(db);
  return r.rows
    .map((x) => ({
      customerId: x.customer_id,
      externalRef: x.external_ref,
      name: x.name,
      scoredOn: x.scored_on,
      modelVersion: x.model_version,
      score: Number(x.score),
      band: x.band,
      pLate: Number(x.p_late),
      factors: x.factors,
    }))
    .filter((x) => x.score >= minScore)
    .sort((a, b) => b.score - a.score || a.externalRef.localeCompare(b.externalRef))
    .slice(0, limit);
}

/** One customer's score history, oldest first. */
export async function customerScoreHistory(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
): Promise<{ scoredOn: string; score: number; band: string; modelVersion: number; factors: unknown[] }[]> {
  const rows = await db
    .selectFrom('customer_risk_scores')
    .select(['scored_on', 'score', 'band', 'model_version', 'factors'])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .orderBy('scored_on')
    .execute();
  return rows.map((r) => ({
    scoredOn: String(r.scored_on),
    score: Number(r.score),
    band: r.band,
    modelVersion: r.model_version,
    factors: r.factors,
  }));
}

/** The latest predictions of one customer's open invoices, soonest expected first. */
export async function customerInvoiceScores(db: Kysely<Database>, orgId: string, customerId: string) {
  const rows = await sql<{
    invoice_id: string;
    invoice_number: string;
    due_date: string;
    balance_minor: number;
    currency: string;
    model_version: number;
    p_late: number;
    p_unpaid_30: number;
    p_unpaid_60: number;
    p_unpaid_90: number;
    expected_date: string;
    p10_date: string;
    p50_date: string;
    p90_date: string;
  }>`
    select s.invoice_id, i.invoice_number, i.due_date::text as due_date, i.balance_minor, i.currency::text as currency,
      s.model_version, s.p_late, s.p_unpaid_30, s.p_unpaid_60, s.p_unpaid_90, s.expected_date::text as expected_date,
      s.p10_date::text as p10_date, s.p50_date::text as p50_date, s.p90_date::text as p90_date
    from invoice_risk_scores s
    join invoices i on i.org_id = s.org_id and i.id = s.invoice_id
    where s.org_id = ${orgId} and i.customer_id = ${customerId} and i.balance_minor > 0
    order by s.expected_date, i.invoice_number
  `.execute(db);
  return rows.rows;
}
