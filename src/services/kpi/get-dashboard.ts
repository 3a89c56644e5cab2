import type { Kysely } from 'kysely';
import {
  collectedByCurrency,
  type OverdueCustomerRow,
  receivablesByCurrency,
  salesByMonth,
} from '../../db/queries/kpi.js';
import { foldKpiDeltas } from '../../db/queries/kpi-fold.js';
import type { Database } from '../../db/schema/index.js';
import { addMonths, type IsoDate } from '../../domain/calendar/index.js';
import {
  type AgingBucket,
  countBackDso,
  countBackPeriods,
  type DsoResult,
  sharePercent,
} from '../../domain/kpi/index.js';
import { topOverdueInCurrency } from './top-overdue-customers.js';

/** How far back count-back DSO looks before it reports a floor. */
export const DSO_MONTHS = 12;
export const TOP_CUSTOMERS = 10;

export interface CurrencyDashboard {
  currency: string;
  receivables: number;
  overdue: number;
  overdueSharePercent: number;
  openInvoices: number;
  overdueInvoices: number;
  dso: DsoResult;
  aging: Record<AgingBucket, number>;
  collectedThisMonth: number;
  collectedLastMonth: number;
  topOverdueCustomers: {
    customerId: string;
    name: string;
    overdue: number;
    invoices: number;
    maxDaysLate: number;
  }[];
}

export interface Dashboard {
  asOf: IsoDate;
  currencies: CurrencyDashboard[];
}

/** The dashboard's figures per currency on `today` (amounts in minor units). */
export async function getDashboard(
  db: Kysely<Database>,
  orgId: string,
  today: IsoDate,
  currency?: string,
): Promise<Dashboard> {
  const periods = countBackPeriods(today, DSO_MONTHS);
  const thisMonthStart = `${today.slice(0, 7)}-01`;
  // Sequential on purpose: inside withOrg they share one connection anyway. Every figure
  // but the top customers' is a sum over the rollups (migration 0018), a few rows per day.
  await foldKpiDeltas(db, orgId);
  const open = await receivablesByCurrency(db, orgId, today);
  const oldest = periods[periods.length - 1]?.from ?? today;
  const sales = await salesByMonth(db, orgId, oldest, today);
  const collected = await collectedByCurrency(
    db,
    orgId,
    thisMonthStart,
    addMonths(thisMonthStart, -1),
    today,
  );
  const codes = new Set([...open.map((r) => r.currency), ...collected.map((r) => r.currency)]);
  const wanted = [...codes].filter((c) => !currency || c === currency).sort();
  const top: OverdueCustomerRow[] = [];
  for (const code of wanted) {
    const o = open.find((r) => r.currency === code);
    if (o && Number(o.overdue) > 0)
      top.push(...(await topOverdueInCurrency(db, orgId, code, today, TOP_CUSTOMERS)));
  }
  return {
    asOf: today,
    currencies: wanted.map((code) => {
      const o = open.find((r) => r.currency === code);
      const c = collected.find((r) => r.currency === code);
      const monthly = new Map(
        sales.filter((s) => s.currency === code).map((s) => [s.month, Number(s.sales)]),
      );
      const receivables = Number(o?.receivables ?? 0);
      const overdue = Number(o?.overdue ?? 0);
      return {
        currency: code,
        receivables,
        overdue,
        overdueSharePercent: sharePercent(overdue, receivables),
        openInvoices: Number(o?.open_invoices ?? 0),
        overdueInvoices: Number(o?.overdue_invoices ?? 0),
        dso: countBackDso(
          receivables,
          periods.map((p) => ({ ...p, sales: monthly.get(p.from) ?? 0 })),
        ),
        aging: {
          notDue: Number(o?.not_due ?? 0),
          d1_30: Number(o?.d1_30 ?? 0),
          d31_60: Number(o?.d31_60 ?? 0),
          d61_90: Number(o?.d61_90 ?? 0),
          d90plus: Number(o?.d90plus ?? 0),
        },
        collectedThisMonth: Number(c?.this_month ?? 0),
        collectedLastMonth: Number(c?.last_month ?? 0),
        topOverdueCustomers: top
          .filter((t) => t.currency === code)
          .map((t) => ({
            customerId: t.customer_id,
            name: t.name,
            overdue: Number(t.overdue),
            invoices: Number(t.invoices),
            maxDaysLate: Number(t.max_days_late),
          })),
      };
    }),
  };
}
