import type { Kysely } from 'kysely';
import {
  largestOpenCustomers,
  type OpenCustomerRow,
  type OverdueCustomerRow,
  overdueOfCustomers,
  topOverdueCustomers,
} from '../../db/queries/kpi.js';
import type { Database } from '../../db/schema/index.js';
import type { IsoDate } from '../../domain/calendar/index.js';

/** Candidates read per round: twice the ten shown settled them in one round on the 1M demo ledger. */
const PAGE = 20;
/** Past this many rounds (a portfolio mostly not yet due), one scan of the open invoices is cheaper. */
const MAX_ROUNDS = 10;

const byOverdue = (a: OverdueCustomerRow, b: OverdueCustomerRow) =>
  Number(b.overdue) - Number(a.overdue) || (a.customer_id < b.customer_id ? -1 : 1);

/**
 * The `limit` customers owing the most overdue money in `currency`, without ranking every
 * debtor: customers are read by open balance, largest first (a rollup row each), and their
 * exact overdue amounts computed from their invoices, until the last one kept owes more
 * overdue than any unread customer can (an unread customer's overdue is at most its open
 * balance, at most the last balance read). Exact, like the full scan it falls back to.
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
  const pageSize = tuning.page ?? PAGE;
  let best: OverdueCustomerRow[] = [];
  let after: OpenCustomerRow | null = null;
  for (let round = 0; round < (tuning.maxRounds ?? MAX_ROUNDS); round++) {
    const page = await largestOpenCustomers(db, orgId, currency, after, pageSize);
    const exact = await overdueOfCustomers(
      db,
      orgId,
      currency,
      page.map((c) => c.customer_id),
      today,
    );
    best = [...best, ...exact].sort(byOverdue).slice(0, limit);
    after = page[page.length - 1] ?? null;
    if (page.length < pageSize || !after) return best;
    const last = best[limit - 1];
    if (last && Number(last.overdue) > Number(after.open_minor)) return best;
  }
  const all = await topOverdueCustomers(db, orgId, today, limit);
  return all.filter((r) => r.currency === currency);
}
