import type { Kysely } from 'kysely';
import type {
  DocInvoice,
  DocLanguage,
  Issuer,
  Recipient,
} from '../../channels/documents/portal-documents.js';
import { getLogoContent } from '../../db/queries/logos.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import { AppError } from '../../errors.js';

export interface DocumentParties {
  issuer: Issuer;
  recipient: Recipient;
  lang: DocLanguage;
  timeZone: string;
  today: string;
  /** The organisation's logo for the letterhead, or null. */
  logo: Buffer | null;
}

/** Who a portal document is from and for: the organisation and the customer behind the link. */
export async function loadDocumentParties(
  trx: Kysely<Database>,
  orgId: string,
  customerId: string,
  now: Date,
): Promise<DocumentParties> {
  const org = await getOrganisation(trx, orgId);
  const customer = await trx
    .selectFrom('customers')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!org || !customer) throw new AppError('NOT_FOUND', 'Customer not found');
  const logo = await getLogoContent(trx, orgId);
  const place = (a: { postal_code: string | null; city: string | null }) =>
    [a.postal_code, a.city].filter(Boolean).join(' ');
  return {
    issuer: {
      name: org.legal_name,
      siren: org.siren,
      addressLines: [org.address_line1, org.address_line2, place(org)].filter((l): l is string => Boolean(l)),
      email: org.email,
      iban: org.iban,
    },
    recipient: {
      name: customer.name,
      reference: customer.external_ref,
      addressLines: [customer.address_line1, customer.address_line2, place(customer)].filter(
        (l): l is string => Boolean(l),
      ),
    },
    lang: customer.language === 'en' ? 'en' : 'fr',
    timeZone: org.time_zone,
    today: zonedParts(now, org.time_zone).date,
    logo: logo ? Buffer.from(logo.content) : null,
  };
}

export function toDocInvoice(i: {
  invoice_number: string;
  issue_date: string;
  due_date: string;
  gross_minor: number;
  balance_minor: number;
  currency: string;
}): DocInvoice {
  return {
    invoiceNumber: i.invoice_number,
    issueDate: i.issue_date,
    dueDate: i.due_date,
    gross: { amount: Number(i.gross_minor), currency: i.currency },
    balance: { amount: Number(i.balance_minor), currency: i.currency },
  };
}
