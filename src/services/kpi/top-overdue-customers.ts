import type { Kysely } from 'kysely';
import {
  largestDebtorsWithOverdue,
  type OpenCustomerRow,
  type OverdueCustomerRow,
  topOverdueCustomers,
} from '../../db/queries/kpi.js';
import type { Database } from '../../db/schema/index.js';
import type { IsoDate } from '../../domain/calendar/index.js';

/**
 * Candidates read in the first round, doubled each round after: the demo ledgers settle the
 * top ten within their 20 (1M invoices) and 41 (100k) largest debtors.
 */
const PAGE = 20;
/** Past this many rounds (5,100 debtors read, most balances not yet due), scan instead. */
const MAX_ROUNDS = 8;

const byOverdue = (a: OverdueCustomerRow, b: OverdueCustomerRow) =>
  Number(b.overdue) - Number(a.overdue) || (a.customer_id < b.customer_id ? -1 : 1);

/**
 * The `limit` customers owing the most overdue money in `currency`, without ranking every
 * debtor: customers are read by open balance, largest first (a rollup row each), and their
 * exact overdue amounts computed from their invoices, until the last one kept owes more
 * overdue than any unread customer can (an unread customer's overdue is at most its open
 * balance, at most the last balance read), reading twice as many each round. Exact, like
 * the full scan it falls back to.
 * Reads the rollup as folded: the caller runs foldKpiDeltas first (getDashboard does).
 * `tuning` is for tests that walk several rounds and the fallback on a small ledger.
 */
export async function topOverdueInCurrency(
  db: Kysely<Database>,
  orgId: string,
  currency: string,
  today: IsoDate,
  limit: number,
  tuning: { page?: number; maxRounds?: number } = {},
): Promise<OverdueCustomerRow[]> {
  let pageSize = tuning.page ?? PAGE;
  let best: OverdueCustomerRow[] = [];
  let after: OpenCustomerRow | null = null;
  for (let round = 0; round < (tuning.maxRounds ?? MAX_ROUNDS); round++) {
    const page = await largestDebtorsWithOverdue(db, orgId, currency, today, after, pageSize);
    const exact = page.filter((c) => Number(c.overdue) > 0).map(({ open_minor: _, ...row }) => row);
    best = [...best, ...exact].sort(byOverdue).slice(0, limit);
    after = page[page.length - 1] ?? null;
    if (page.length < pageSize || !after) return best;
    const last = best[limit - 1];
    if (last && Number(last.overdue) > Number(after.open_minor)) return best;
    pageSize *= 2;
  }
  const all = await topOverdueCustomers(db, orgId, today, limit);
  return all.filter((r) => r.currency === currency);
}
