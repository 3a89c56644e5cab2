import type { Kysely } from 'kysely';
import { planAgreementSpec } from '../../channels/documents/portal-documents.js';
import { renderDocumentPdf } from '../../channels/documents/render-document.js';
import { insertDocument } from '../../db/queries/documents.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getPaymentPlan, instalmentsOfPlans, setPlanStatus } from '../../db/queries/payment-plans.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { loadDocumentParties, toDocInvoice } from '../portal/document-parties.js';
import type { PortalAccess } from '../portal/portal-access.js';
import { type PaymentPlanView, toPlanView } from './plan-view.js';

export interface AcceptPaymentPlanInput {
  planId: string;
  /** The name the debtor typed: who accepts, for the evidence. */
  name: string;
  client?: { ip?: string; userAgent?: string };
}

/**
 * The debtor accepts a proposed plan. In one transaction: the agreement (schedule, terms,
 * acknowledgment of debt) is rendered and stored with its SHA-256, the plan becomes active,
 * and the timestamped acceptance goes into the customer's evidence chain with that hash —
 * an acknowledgment of debt interrupts limitation (Code civil art. 2240), so it must be
 * provable. The document is small (one or two pages): rendering it here keeps the
 * acceptance and its proof atomic, rather than a worker producing it later.
 */
export async function acceptPaymentPlan(
  trx: Kysely<Database>,
  access: PortalAccess,
  input: AcceptPaymentPlanInput,
  now: Date,
): Promise<PaymentPlanView> {
  const { orgId, customerId } = access;
  const plan = await getPaymentPlan(trx, orgId, input.planId, { forUpdate: true });
  if (!plan || plan.customer_id !== customerId) throw new AppError('NOT_FOUND', 'Payment plan not found');
  if (plan.status !== 'proposed') {
    throw new AppError(
      'CONFLICT',
      plan.status === 'pending_approval'
        ? 'The plan is waiting for the creditor’s approval'
        : `The plan is ${plan.status} and can no longer be accepted`,
      [{ field: 'planId', value: plan.id, reason: `status is ${plan.status}` }],
    );
  }
  const name = input.name.trim();
  const parties = await loadDocumentParties(trx, orgId, customerId, now);
  const invoices = await trx
    .selectFrom('invoices')
    .select(['id', 'invoice_number', 'issue_date', 'due_date', 'gross_minor', 'balance_minor', 'currency'])
    .where('org_id', '=', orgId)
    .where('id', 'in', plan.invoice_ids)
    .orderBy('due_date')
    .execute();
  const instalments = (await instalmentsOfPlans(trx, orgId, [plan.id])).get(plan.id) ?? [];
  // Millisecond precision, as the evidence chain stores it.
  const at = new Date(Math.floor(now.getTime()));
  const total = { amount: Number(plan.total_minor), currency: plan.currency };
  const rendered = await renderDocumentPdf(
    planAgreementSpec({
      lang: parties.lang,
      issuer: parties.issuer,
      recipient: parties.recipient,
      planId: plan.id,
      total,
      graceDays: plan.grace_days,
      invoices: invoices.map(toDocInvoice),
      schedule: instalments.map((i) => ({
        seq: i.seq,
        dueDate: i.due_date,
        amount: { amount: Number(i.amount_minor), currency: plan.currency },
      })),
      acceptance: { name, at },
    }),
    parties.logo,
  );
  const doc = await insertDocument(trx, {
    org_id: orgId,
    customer_id: customerId,
    invoice_id: null,
    kind: 'contract',
    filename: `payment-plan-${plan.id}.pdf`,
    mime_type: 'application/pdf',
    size_bytes: rendered.pdf.length,
    sha256: rendered.sha256,
    content: rendered.pdf,
  });
  await setPlanStatus(trx, orgId, plan.id, {
    status: 'active',
    accepted_at: at,
    accepted_name: name,
    document_id: doc.id,
    document_sha256: rendered.sha256,
  });
  await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind: 'payment_plan',
    channel: 'portal',
    summary: `payment plan accepted by ${name}: acknowledgment of debt of ${total.amount} ${total.currency} in ${instalments.length} payment(s)`,
    payload: {
      planId: plan.id,
      status: 'active',
      acknowledgmentOfDebt: true,
      acceptedName: name,
      acceptTerms: true,
      invoiceIds: plan.invoice_ids,
      invoiceNumbers: invoices.map((i) => i.invoice_number),
      totalMinor: total.amount,
      currency: total.currency,
      schedule: instalments.map((i) => ({
        seq: i.seq,
        dueDate: i.due_date,
        amountMinor: Number(i.amount_minor),
      })),
      documentId: doc.id,
      linkId: access.linkId,
      ...(input.client?.ip ? { ip: input.client.ip } : {}),
      ...(input.client?.userAgent ? { userAgent: input.client.userAgent.slice(0, 300) } : {}),
    },
    contentSha256: rendered.sha256,
    at,
  });
  return toPlanView(
    {
      ...plan,
      status: 'active',
      accepted_at: at,
      accepted_name: name,
      document_id: doc.id,
      document_sha256: rendered.sha256,
    },
    instalments,
  );
}
