import type { Kysely } from 'kysely';
import { epcQrSvg } from '../../channels/portal/qr.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getLogoMeta } from '../../db/queries/logos.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import { listOpenItems, recordPortalReference, recordPortalVisit } from '../../db/queries/portal.js';
import type { Database } from '../../db/schema/index.js';
import { daysBetween, type IsoDate, zonedParts } from '../../domain/calendar/index.js';
import type { Money } from '../../domain/money/index.js';
import { customerCreditorReference, paymentInstructions } from '../../domain/sepa/index.js';
import { AppError } from '../../errors.js';
import { computeInvoicesPenalties } from '../law/invoices-penalties.js';
import type { PortalAccess } from './portal-access.js';

export interface PortalItem {
  invoiceId: string;
  invoiceNumber: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  daysLate: number;
  amount: Money;
  balanceDue: Money;
  status: string;
  disputed: boolean;
  /** Reason code of the open dispute, when the debtor (or the collector) opened one. */
  dispute: { id: string; reasonCode: string; status: string; openedAt: string } | null;
  /** The active promise that covers the item, if any. */
  promisedDate: IsoDate | null;
  /** Late-payment interest accrued to today (law engine); null when not due or not computable. */
  penalties: Money | null;
  /** Fixed recovery indemnity owed (40 € in French B2B); null when none applies. */
  indemnity: Money | null;
}

export interface PortalTransfer {
  beneficiary: string;
  iban: string;
  ibanPrinted: string;
  bic: string | null;
  reference: string;
  referencePrinted: string;
  amount: Money | null;
  epcPayload: string;
  qrSvg: string;
}

export interface PortalSummary {
  creditor: { name: string; email: string | null; phone: string | null; hasLogo: boolean };
  customer: { name: string; reference: string; language: 'fr' | 'en' };
  today: IsoDate;
  items: PortalItem[];
  balances: Money[];
  /**
   * What the balance is made of, per currency: `payNow` is the overdue, undisputed amount (what
   * the portal asks the debtor to pay, and the transfer's pre-filled amount); the items not yet
   * due and the disputed ones are shown apart. The debtor may still pay more.
   */
  amounts: { payNow: Money[]; notYetDue: Money[]; disputed: Money[] };
  /** Null when the creditor has no IBAN on file or the open items are not all in euros. */
  transfer: PortalTransfer | null;
  firstView: boolean;
}

/**
 * What the debtor sees on opening the portal, and the visit written to the customer's
 * evidence file in the same transaction. The first view of a link is flagged: it is the
 * evidence that the reminder carrying it was read.
 */
export async function openPortal(
  trx: Kysely<Database>,
  access: PortalAccess,
  now: Date,
  meta: { ip?: string; userAgent?: string } = {},
): Promise<PortalSummary> {
  const { orgId, customerId } = access;
  const org = await getOrganisation(trx, orgId);
  const customer = await trx
    .selectFrom('customers')
    .select(['name', 'external_ref', 'language'])
    .where('org_id', '=', orgId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!org || !customer) throw new AppError('NOT_FOUND', 'Customer not found');
  const today = zonedParts(now, org.time_zone).date;
  const items = await withPenalties(trx, orgId, await portalItems(trx, orgId, customerId, today), today);

  const totals = new Map<string, number>();
  for (const i of items)
    totals.set(i.balanceDue.currency, (totals.get(i.balanceDue.currency) ?? 0) + i.balanceDue.amount);
  const balances = [...totals].map(([currency, amount]) => ({ amount, currency }));
  const amounts = splitAmounts(items);

  let transfer: PortalTransfer | null = null;
  const onlyEuro = balances.length === 0 || (balances.length === 1 && balances[0]?.currency === 'EUR');
  if (org.iban && onlyEuro) {
    const reference = customerCreditorReference(orgId, customer.external_ref);
    await recordPortalReference(trx, orgId, {
      reference,
      customerId,
      kind: 'customer',
      invoiceIds: items.map((i) => i.invoiceId),
    });
    // The transfer asks for the overdue, undisputed amount; the debtor may type more.
    const payNow = amounts.payNow[0];
    const amount = payNow && payNow.amount > 0 ? payNow : undefined;
    const p = paymentInstructions({
      creditor: { name: org.legal_name, iban: org.iban, ...(org.bic ? { bic: org.bic } : {}) },
      reference,
      ...(amount ? { amount } : {}),
    });
    transfer = {
      beneficiary: p.beneficiary,
      iban: p.iban,
      ibanPrinted: p.ibanPrinted,
      bic: p.bic ?? null,
      reference: p.reference,
      referencePrinted: p.referencePrinted,
      amount: p.amount ?? null,
      epcPayload: p.epcPayload.toString('utf8'),
      qrSvg: await epcQrSvg(p.epcPayload),
    };
  }

  const { firstView } = await recordPortalVisit(trx, orgId, access.linkId, now);
  await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind: 'note',
    channel: 'portal',
    summary: 'portal viewed',
    payload: {
      linkId: access.linkId,
      firstView,
      // The first opening of a link sent in a reminder shows the reminder reached the debtor.
      ...(firstView ? { evidenceOf: 'reminder_read' } : {}),
      openItems: items.length,
      ...(meta.ip ? { ip: meta.ip } : {}),
      ...(meta.userAgent ? { userAgent: meta.userAgent.slice(0, 200) } : {}),
    },
    contentSha256: null,
    at: now,
  });

  return {
    creditor: {
      name: org.legal_name,
      email: org.email,
      phone: org.phone,
      hasLogo: (await getLogoMeta(trx, orgId)) !== undefined,
    },
    customer: { name: customer.name, reference: customer.external_ref, language: customer.language },
    today,
    items,
    balances,
    amounts,
    transfer,
    firstView,
  };
}

/** Per-currency sums of a list of amounts, in first-seen currency order. */
function sumByCurrency(list: Money[]): Money[] {
  const m = new Map<string, number>();
  for (const x of list) m.set(x.currency, (m.get(x.currency) ?? 0) + x.amount);
  return [...m].filter(([, amount]) => amount !== 0).map(([currency, amount]) => ({ amount, currency }));
}

/**
 * The balance split the way the debtor should read it: overdue and undisputed (pay now), not
 * yet due, disputed (each item in exactly one; a disputed item is never asked for, due or not).
 */
export function splitAmounts(
  items: Pick<PortalItem, 'balanceDue' | 'daysLate' | 'disputed'>[],
): PortalSummary['amounts'] {
  const open = items.filter((i) => i.balanceDue.amount > 0);
  return {
    payNow: sumByCurrency(open.filter((i) => !i.disputed && i.daysLate > 0).map((i) => i.balanceDue)),
    notYetDue: sumByCurrency(open.filter((i) => !i.disputed && i.daysLate <= 0).map((i) => i.balanceDue)),
    disputed: sumByCurrency(open.filter((i) => i.disputed).map((i) => i.balanceDue)),
  };
}

export async function portalItems(
  trx: Kysely<Database>,
  orgId: string,
  customerId: string,
  today: IsoDate,
): Promise<Omit<PortalItem, 'penalties' | 'indemnity'>[]> {
  const rows = await listOpenItems(trx, orgId, customerId);
  const ids = rows.map((r) => r.id);
  const [disputes, promises] = await Promise.all([
    ids.length === 0
      ? []
      : trx
          .selectFrom('disputes')
          .select(['id', 'invoice_id', 'reason_code', 'status', 'opened_at'])
          .where('org_id', '=', orgId)
          .where('invoice_id', 'in', ids)
          // Newest first: the debtor sees where their latest dispute stands, open or settled.
          .orderBy('opened_at', 'desc')
          .orderBy('id')
          .execute(),
    trx
      .selectFrom('promises_to_pay')
      .select(['invoice_ids', 'promised_date'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .where('status', '=', 'active')
      .execute(),
  ]);
  const disputeBy = new Map<string, (typeof disputes)[number]>();
  for (const d of disputes) if (!disputeBy.has(d.invoice_id)) disputeBy.set(d.invoice_id, d);
  return rows.map((r) => {
    const d = disputeBy.get(r.id);
    const promise = promises.find((p) => p.invoice_ids.length === 0 || p.invoice_ids.includes(r.id));
    return {
      invoiceId: r.id,
      invoiceNumber: r.invoice_number,
      issueDate: r.issue_date,
      dueDate: r.due_date,
      daysLate: Math.max(0, daysBetween(r.due_date, today)),
      amount: { amount: r.gross_minor, currency: r.currency },
      balanceDue: { amount: r.balance_minor, currency: r.currency },
      status: r.status,
      disputed: r.disputed || d?.status === 'open',
      dispute: d
        ? { id: d.id, reasonCode: d.reason_code, status: d.status, openedAt: toIso(d.opened_at) }
        : null,
      promisedDate: promise?.promised_date ?? null,
    };
  });
}

function toIso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}

/** More items than a debtor reads: beyond this the page shows amounts without penalties. */
const MAX_PENALTY_ITEMS = 50;

/**
 * Penalties and indemnity to date on each overdue item, from the same law engine the
 * reminders and the formal notice use. An item the engine cannot compute (no rate row for the
 * period yet) shows none rather than a wrong figure: the law engine only throws its own
 * errors before touching the database, so the transaction stays usable.
 */
async function withPenalties(
  trx: Kysely<Database>,
  orgId: string,
  items: Omit<PortalItem, 'penalties' | 'indemnity'>[],
  today: IsoDate,
): Promise<PortalItem[]> {
  const due = items
    .filter((item, i) => item.daysLate > 0 && !item.disputed && i < MAX_PENALTY_ITEMS)
    .map((item) => item.invoiceId);
  // One batch: the rate rows and the allocations are read once, not once per invoice.
  const statements = await computeInvoicesPenalties(trx, orgId, due, today);
  return items.map((item) => {
    const result = statements.get(item.invoiceId);
    const totals = result?.ok ? result.statement.totals : undefined;
    return {
      ...item,
      penalties: totals && totals.interestOutstanding.amount > 0 ? totals.interestOutstanding : null,
      indemnity: totals && totals.indemnityOutstanding.amount > 0 ? totals.indemnityOutstanding : null,
    };
  });
}
