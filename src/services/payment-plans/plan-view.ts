import type { PaymentPlanInstalmentRow, PaymentPlanRow } from '../../db/queries/payment-plans.js';
import type { PaymentPlanStatus } from '../../db/schema/index.js';

/** A plan as the portal and the collector API show it. */
export interface PaymentPlanView {
  id: string;
  customerId: string;
  status: PaymentPlanStatus;
  currency: string;
  totalMinor: number;
  invoiceIds: string[];
  graceDays: number;
  createdAt: string;
  approvedAt: string | null;
  acceptedAt: string | null;
  acceptedName: string | null;
  documentSha256: string | null;
  /**
   * What the plan's total covers, shown to the debtor before acceptance: the principal
   * (the invoices' balances). Penalties and the fixed indemnities accrued to the agreement
   * date are not in it: they are stated with their amounts so nobody reads the plan as
   * settling them. Null for plans requested before this was recorded.
   */
  covers: PlanCoverage | null;
  instalments: {
    seq: number;
    dueDate: string;
    amountMinor: number;
    paidMinor: number;
    status: 'due' | 'paid' | 'missed';
  }[];
}

export interface PlanCoverage {
  basis: 'principal';
  principalMinor: number;
  /** Late-payment interest accrued to `asOf` on the plan's invoices, not in the total. */
  penaltiesNotIncludedMinor: number;
  /** Fixed recovery indemnities (40 € per late invoice in French B2B), not in the total. */
  indemnitiesNotIncludedMinor: number;
  asOf: string;
  currency: string;
}

function coverageOf(request: unknown): PlanCoverage | null {
  const c = (request as { covers?: PlanCoverage } | null)?.covers;
  return c && c.basis === 'principal' ? c : null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toPlanView(
  row: PaymentPlanRow,
  instalments: readonly PaymentPlanInstalmentRow[],
): PaymentPlanView {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    currency: row.currency,
    totalMinor: Number(row.total_minor),
    invoiceIds: row.invoice_ids,
    graceDays: row.grace_days,
    createdAt: new Date(row.created_at).toISOString(),
    approvedAt: iso(row.approved_at),
    acceptedAt: iso(row.accepted_at),
    acceptedName: row.accepted_name,
    documentSha256: row.document_sha256,
    covers: coverageOf(row.request),
    instalments: instalments.map((i) => ({
      seq: i.seq,
      dueDate: i.due_date,
      amountMinor: Number(i.amount_minor),
      paidMinor: Number(i.paid_minor),
      status: i.status,
    })),
  };
}
