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
  instalments: {
    seq: number;
    dueDate: string;
    amountMinor: number;
    paidMinor: number;
    status: 'due' | 'paid' | 'missed';
  }[];
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
    instalments: instalments.map((i) => ({
      seq: i.seq,
      dueDate: i.due_date,
      amountMinor: Number(i.amount_minor),
      paidMinor: Number(i.paid_minor),
      status: i.status,
    })),
  };
}
