import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { type Customer, getCustomer } from '../../db/queries/customers.js';
import {
  type CaseInvoice,
  type CasePayment,
  listOpenInvoicesOfCustomer,
  listPaymentsOnInvoices,
} from '../../db/queries/law-case.js';
import { getOrganisation, type Organisation } from '../../db/queries/organisations.js';
import { listRateRows } from '../../db/queries/rates.js';
import type { Database } from '../../db/schema/index.js';
import { type IsoDate, isIsoDate } from '../../domain/calendar/index.js';
import {
  buildFormalNotice,
  builtInRates,
  type FormalNotice,
  mergeRates,
  type NoticeInvoice,
  type NoticeParty,
  type RateTable,
} from '../../domain/law/index.js';
import { AppError, notFound } from '../../errors.js';
import { remindersSent } from '../dunning/render-action.js';

export interface ClaimOptions {
  /** Date of the letter or file: penalties are computed to this day. */
  date: IsoDate;
  /** Calendar days to pay after the notice (default 15), rolled to the next working day. */
  deadlineDays?: number;
  /** One letter per currency: defaults to the organisation's currency. */
  currency?: string;
}

export interface ExcludedInvoice {
  invoiceNumber: string;
  reason: string;
}

/** Everything a formal notice or an escalation file says about one customer's debt. */
export interface CustomerClaim {
  org: Organisation;
  customer: Customer;
  date: IsoDate;
  currency: string;
  invoices: CaseInvoice[];
  payments: CasePayment[];
  excluded: ExcludedInvoice[];
  rates: RateTable;
  notice: FormalNotice;
}

const cleanSiren = (s: string | null | undefined): string | undefined => {
  const digits = (s ?? '').replace(/\s/g, '');
  return digits.length >= 9 ? digits.slice(0, 9) : undefined;
};

/** The organisation as creditor; a missing address prints as the name alone. */
export function creditorParty(org: Organisation): NoticeParty {
  const siren = cleanSiren(org.siren);
  return {
    name: org.legal_name,
    ...(siren ? { siren } : {}),
    ...(org.vat_number ? { vatNumber: org.vat_number } : {}),
    addressLines: [org.address_line1, org.address_line2].filter((l): l is string => !!l?.trim()),
    postalCode: org.postal_code ?? '',
    city: org.city ?? '',
  };
}

/** The customer as debtor: a letter needs its postal address, so its absence is an error. */
export function debtorParty(c: Customer): NoticeParty & { kind: 'b2b' | 'b2c' } {
  if (!c.postal_code?.trim() || !c.city?.trim() || !c.address_line1?.trim()) {
    throw new AppError(
      'UNPROCESSABLE',
      `customer ${c.external_ref}: a formal notice needs the debtor's postal address (street, postal code, city)`,
      [
        {
          field: 'customer.address',
          reason: 'address_line1, postal_code and city are required',
        },
      ],
    );
  }
  const siren = cleanSiren(c.siren ?? c.siret);
  return {
    name: c.name,
    kind: c.kind,
    ...(siren ? { siren } : {}),
    ...(c.vat_number ? { vatNumber: c.vat_number } : {}),
    addressLines: [c.address_line1, c.address_line2].filter((l): l is string => !!l?.trim()),
    postalCode: c.postal_code.trim(),
    city: c.city.trim(),
  };
}

/**
 * Load a customer's overdue open items and compute the claim to `date` with the law
 * engine (French rules: the formal notice is art. 1344 C. civ.). Disputed invoices and
 * invoices in another currency are left out and listed, never silently dropped.
 */
export async function loadCustomerClaim(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  opts: ClaimOptions,
): Promise<CustomerClaim> {
  if (!isIsoDate(opts.date)) {
    throw new AppError('VALIDATION', `date: "${opts.date}" is not a valid YYYY-MM-DD date`, [
      { field: 'date', value: opts.date, reason: 'invalid date' },
    ]);
  }
  const loaded = await withOrg(db, orgId, async (trx) => {
    const org = await getOrganisation(trx, orgId);
    if (!org) throw notFound('Organisation', orgId);
    const customer = await getCustomer(trx, orgId, customerId);
    if (!customer) throw notFound('Customer', customerId);
    const open = await listOpenInvoicesOfCustomer(trx, orgId, customerId);
    const payments = await listPaymentsOnInvoices(
      trx,
      orgId,
      open.map((i) => i.id),
      opts.date,
    );
    const rows = await listRateRows(trx, orgId);
    return { org, customer, open, payments, rows };
  });
  const { org, customer, open, payments } = loaded;
  if (org.jurisdiction !== 'FR') {
    throw new AppError(
      'UNPROCESSABLE',
      `formal notices and escalation files follow French law; the organisation's jurisdiction is ${org.jurisdiction}`,
      [{ field: 'organisation.jurisdiction', value: org.jurisdiction, reason: 'must be FR' }],
    );
  }
  const currency = (opts.currency ?? org.currency).trim().toUpperCase();
  const excluded: ExcludedInvoice[] = [];
  const invoices: CaseInvoice[] = [];
  for (const inv of open) {
    const principal = inv.gross_minor - inv.credited_minor - inv.written_off_minor;
    if (inv.due_date >= opts.date) continue; // not yet due: not part of the claim, not "excluded"
    if (inv.disputed || inv.status === 'disputed') {
      excluded.push({
        invoiceNumber: inv.invoice_number,
        reason: 'disputed: claim it once the dispute is settled',
      });
    } else if (inv.currency.trim() !== currency) {
      excluded.push({
        invoiceNumber: inv.invoice_number,
        reason: `in ${inv.currency.trim()}: one claim per currency (${currency} here)`,
      });
    } else if (principal <= 0) {
      excluded.push({
        invoiceNumber: inv.invoice_number,
        reason: 'nothing claimed (credited or written off)',
      });
    } else {
      invoices.push(inv);
    }
  }
  if (invoices.length === 0) {
    throw new AppError(
      'UNPROCESSABLE',
      `customer ${customer.external_ref} has no undisputed overdue invoice in ${currency} on ${opts.date}`,
      [{ field: 'customerId', value: customerId, reason: 'nothing to claim' }],
      { excluded },
    );
  }
  const claimedIds = new Set(invoices.map((i) => i.id));
  const rates = loaded.rows.length > 0 ? mergeRates(loaded.rows) : builtInRates();
  const byInvoice = new Map<string, CasePayment[]>();
  for (const p of payments) byInvoice.set(p.invoice_id, [...(byInvoice.get(p.invoice_id) ?? []), p]);
  const noticeInvoices: NoticeInvoice[] = invoices.map((inv) => ({
    invoiceNumber: inv.invoice_number,
    issueDate: inv.issue_date,
    dueDate: inv.due_date,
    // Credit notes and write-offs correct the invoice; payments are imputed by the engine.
    amount: { amount: inv.gross_minor - inv.credited_minor - inv.written_off_minor, currency },
    payments: (byInvoice.get(inv.id) ?? [])
      .filter((p) => p.amount_minor > 0)
      .map((p) => ({ date: p.received_on, amount: { amount: p.amount_minor, currency } })),
    ...(org.late_penalty_rate !== null ? { contractualRate: String(org.late_penalty_rate) } : {}),
  }));
  // The letter names the reminders actually sent for these items, or none (issue 13).
  const history = await withOrg(db, orgId, (trx) =>
    remindersSent(trx, org, customerId, [...claimedIds], null),
  );
  const notice = buildFormalNotice(
    {
      creditor: creditorParty(org),
      debtor: debtorParty(customer),
      invoices: noticeInvoices,
      date: opts.date,
      ...(opts.deadlineDays !== undefined ? { deadlineDays: opts.deadlineDays } : {}),
      calendar: 'FR',
      history,
    },
    rates,
  );
  return {
    org,
    customer,
    date: opts.date,
    currency,
    invoices,
    payments: payments.filter((p) => claimedIds.has(p.invoice_id)),
    excluded,
    rates,
    notice,
  };
}
