import type { Kysely } from 'kysely';
import { invoiceSummarySpec, statementSpec } from '../../channels/documents/portal-documents.js';
import { renderDocumentPdf } from '../../channels/documents/render-document.js';
import { getDocumentContent } from '../../db/queries/documents.js';
import { getPaymentPlan } from '../../db/queries/payment-plans.js';
import type { Database } from '../../db/schema/index.js';
import type { Money } from '../../domain/money/index.js';
import { AppError } from '../../errors.js';
import { loadDocumentParties, toDocInvoice } from './document-parties.js';
import type { PortalAccess } from './portal-access.js';

export interface PortalFile {
  filename: string;
  mimeType: string;
  content: Buffer;
  sha256: string;
  /** true: the stored document; false: generated on request from the ledger. */
  stored: boolean;
}

const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);

/** The agreement stored when the debtor accepted the plan, byte for byte. */
export async function paymentPlanDocument(
  trx: Kysely<Database>,
  access: PortalAccess,
  planId: string,
): Promise<PortalFile> {
  const plan = await getPaymentPlan(trx, access.orgId, planId);
  if (!plan || plan.customer_id !== access.customerId || !plan.document_id) throw notFound('Plan document');
  const d = await getDocumentContent(trx, access.orgId, plan.document_id);
  if (!d) throw notFound('Plan document');
  return {
    filename: d.filename,
    mimeType: d.mime_type,
    content: Buffer.from(d.content),
    sha256: d.sha256,
    stored: true,
  };
}

/**
 * One of the customer's invoices: the invoice document the creditor stored (the latest PDF
 * of kind 'invoice'), else a summary generated from the ledger.
 */
export async function invoiceDocument(
  trx: Kysely<Database>,
  access: PortalAccess,
  invoiceId: string,
  now: Date,
): Promise<PortalFile> {
  const { orgId, customerId } = access;
  const invoice = await trx
    .selectFrom('invoices')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', invoiceId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  if (!invoice) throw notFound('Invoice');
  const stored = await trx
    .selectFrom('documents')
    .select('id')
    .where('org_id', '=', orgId)
    .where('invoice_id', '=', invoiceId)
    .where('kind', '=', 'invoice')
    .where('mime_type', '=', 'application/pdf')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (stored) {
    const d = await getDocumentContent(trx, orgId, stored.id);
    if (d)
      return {
        filename: d.filename,
        mimeType: d.mime_type,
        content: Buffer.from(d.content),
        sha256: d.sha256,
        stored: true,
      };
  }
  const parties = await loadDocumentParties(trx, orgId, customerId, now);
  const m = (amount: number): Money => ({ amount: Number(amount), currency: invoice.currency });
  const r = await renderDocumentPdf(
    invoiceSummarySpec({
      lang: parties.lang,
      issuer: parties.issuer,
      recipient: parties.recipient,
      invoice: {
        ...toDocInvoice(invoice),
        net: m(invoice.net_minor),
        tax: m(invoice.tax_minor),
        paid: m(invoice.paid_minor),
        credited: m(invoice.credited_minor),
        description: invoice.description,
      },
      createdAt: now,
    }),
    parties.logo,
  );
  return {
    filename: `${invoice.invoice_number.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`,
    mimeType: 'application/pdf',
    content: r.pdf,
    sha256: r.sha256,
    stored: false,
  };
}

/** Statement of account: the customer's open items today, totals per currency, credits held. */
export async function statementDocument(
  trx: Kysely<Database>,
  access: PortalAccess,
  now: Date,
): Promise<PortalFile> {
  const { orgId, customerId } = access;
  const parties = await loadDocumentParties(trx, orgId, customerId, now);
  const invoices = await trx
    .selectFrom('invoices')
    .select(['invoice_number', 'issue_date', 'due_date', 'gross_minor', 'balance_minor', 'currency'])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('balance_minor', '>', 0)
    .where('status', '<>', 'written_off')
    .orderBy('due_date')
    .orderBy('invoice_number')
    .execute();
  const credits = await trx
    .selectFrom('payments')
    .select(['currency'])
    .select((eb) => eb.fn.sum<number>('unallocated_minor').as('amount'))
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('unallocated_minor', '>', 0)
    .groupBy('currency')
    .orderBy('currency')
    .execute();
  const totals = new Map<string, number>();
  for (const i of invoices) totals.set(i.currency, (totals.get(i.currency) ?? 0) + Number(i.balance_minor));
  const r = await renderDocumentPdf(
    statementSpec({
      lang: parties.lang,
      issuer: parties.issuer,
      recipient: parties.recipient,
      date: parties.today,
      invoices: invoices.map(toDocInvoice),
      totals: [...totals].map(([currency, amount]) => ({ amount, currency })),
      credits: credits.map((c) => ({ amount: Number(c.amount), currency: c.currency })),
      createdAt: now,
    }),
    parties.logo,
  );
  return {
    filename: `statement-${parties.recipient.reference.replace(/[^A-Za-z0-9._-]/g, '_')}-${parties.today}.pdf`,
    mimeType: 'application/pdf',
    content: r.pdf,
    sha256: r.sha256,
    stored: false,
  };
}
