import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { listLimitationCandidates } from '../../db/queries/limitation.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { addDays, addYears, type IsoDate } from '../../domain/calendar/index.js';
import { ALERT_DAYS, getJurisdiction, limitationDeadline, limitationStatus } from '../../domain/law/index.js';
import { notFound } from '../../errors.js';

export interface LimitationWarning {
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  customerName: string;
  customerRef: string;
  kind: 'b2b' | 'b2c';
  balance: { amount: number; currency: string };
  start: IsoDate;
  startBasis: string;
  deadline: IsoDate;
  state: 'warning' | 'lapsed';
  /** Days left (warning) or since the deadline (lapsed, negative). */
  daysLeft: number;
  /** The tightest alert threshold reached (90, 30 or 7 days), null once lapsed. */
  threshold: (typeof ALERT_DAYS)[number] | null;
  reference: string;
}

/**
 * Open receivables whose limitation deadline falls within the alert horizon (90 days by
 * default) or has passed, tightest first, so the worklist can show them. Part payments and
 * payment plans the debtor accepted (in the portal) count as acknowledgments that restart the
 * period (art. 2240 C. civ.); court claims are not tracked in the ledger yet, which can only
 * make a deadline look earlier than it is: the safe side for a warning.
 */
export async function listLimitationWarnings(
  db: Kysely<Database>,
  orgId: string,
  today: IsoDate,
  opts: { horizonDays?: number; includeLapsed?: boolean } = {},
): Promise<LimitationWarning[]> {
  const horizon = opts.horizonDays ?? ALERT_DAYS[0];
  return withOrg(db, orgId, async (trx) => {
    const org = await getOrganisation(trx, orgId);
    if (!org) throw notFound('Organisation', orgId);
    const j = getJurisdiction(org.jurisdiction);
    const rules = { b2b: j.limitation('b2b'), b2c: j.limitation('b2c') };
    const last = addDays(today, horizon);
    const rows = await listLimitationCandidates(
      trx,
      orgId,
      {
        b2b: rules.b2b ? addYears(last, -rules.b2b.years) : null,
        b2c: rules.b2c ? addYears(last, -rules.b2c.years) : null,
      },
      { b2b: rules.b2b?.startsFrom ?? 'performance', b2c: rules.b2c?.startsFrom ?? 'performance' },
    );
    const out: LimitationWarning[] = [];
    for (const r of rows) {
      const result = limitationDeadline({
        jurisdiction: org.jurisdiction,
        kind: r.kind,
        issueDate: r.issue_date,
        dueDate: r.due_date,
        ...(r.performance_date ? { performanceDate: r.performance_date } : {}),
        events: [
          ...r.payment_dates.map((date) => ({ type: 'part_payment' as const, date })),
          ...r.plan_dates.map((date) => ({ type: 'payment_plan_signed' as const, date })),
        ],
      });
      if (result.deadline > last) continue;
      const status = limitationStatus(result, today);
      if (status.state === 'lapsed' && opts.includeLapsed === false) continue;
      out.push({
        invoiceId: r.invoice_id,
        invoiceNumber: r.invoice_number,
        customerId: r.customer_id,
        customerName: r.customer_name,
        customerRef: r.external_ref,
        kind: r.kind,
        balance: { amount: r.balance_minor, currency: r.currency.trim() },
        start: result.start,
        startBasis: result.startBasis,
        deadline: result.deadline,
        state: status.state === 'lapsed' ? 'lapsed' : 'warning',
        daysLeft: status.state === 'lapsed' ? -status.daysSince : status.daysLeft,
        threshold: status.state === 'warning' ? status.threshold : null,
        reference: result.reference,
      });
    }
    return out.sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0));
  });
}
