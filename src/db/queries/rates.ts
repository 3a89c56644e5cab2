import { type Kysely, sql } from 'kysely';
import { normaliseRate } from '../../domain/law/rate-csv.js';
import { isRateStatus, type RateRow, type RateSeries } from '../../domain/law/rates/index.js';
import type { Database } from '../schema/index.js';

export interface RateUpsertResult {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Load an organisation's rate rows in one statement (INSERT … SELECT FROM unnest …
 * ON CONFLICT): a row for a series and date already loaded is replaced only if it changed,
 * so re-importing the same file is a no-op.
 */
export async function upsertRateRows(
  db: Kysely<Database>,
  orgId: string,
  rows: readonly Pick<RateRow, 'series' | 'effectiveFrom' | 'rate' | 'source' | 'provisional' | 'status'>[],
): Promise<RateUpsertResult> {
  if (rows.length === 0) return { created: 0, updated: 0, unchanged: 0 };
  const result = await sql<{ inserted: boolean }>`
    insert into rate_rows (org_id, series, effective_from, rate, source, provisional, status)
    select ${orgId}::uuid, u.series, u.effective_from, u.rate, u.source, u.provisional, u.status
    from unnest(
      ${rows.map((r) => r.series)}::text[],
      ${rows.map((r) => r.effectiveFrom)}::date[],
      ${rows.map((r) => r.rate)}::numeric[],
      ${rows.map((r) => r.source)}::text[],
      ${rows.map((r) => r.provisional)}::boolean[],
      ${rows.map((r) => r.status)}::text[]
    ) as u(series, effective_from, rate, source, provisional, status)
    on conflict (org_id, series, effective_from) do update
      set rate = excluded.rate, source = excluded.source, provisional = excluded.provisional,
        status = excluded.status, loaded_at = now()
      where (rate_rows.rate, rate_rows.source, rate_rows.provisional, rate_rows.status)
        is distinct from (excluded.rate, excluded.source, excluded.provisional, excluded.status)
    returning (xmax = 0) as inserted
  `.execute(db);
  const created = result.rows.filter((r) => r.inserted).length;
  const updated = result.rows.length - created;
  return { created, updated, unchanged: rows.length - created - updated };
}

/** The organisation's rows as the law engine reads them. */
export async function listRateRows(
  db: Kysely<Database>,
  orgId: string,
  series?: RateSeries,
): Promise<RateRow[]> {
  let q = db
    .selectFrom('rate_rows')
    .select([
      'series',
      'effective_from',
      sql<string>`rate::text`.as('rate'),
      'source',
      'provisional',
      'status',
    ])
    .where('org_id', '=', orgId);
  if (series) q = q.where('series', '=', series);
  const rows = await q.orderBy('series').orderBy('effective_from').execute();
  return rows.map((r) => ({
    series: r.series as RateSeries,
    effectiveFrom: r.effective_from,
    // numeric(9,4) comes back as "2.1500": keep the figure as typed, without padding.
    rate: normaliseRate(r.rate),
    source: r.source,
    status: isRateStatus(r.status) ? r.status : 'unverified',
    provisional: r.provisional || r.status === 'unverified',
    origin: 'organisation' as const,
  }));
}
