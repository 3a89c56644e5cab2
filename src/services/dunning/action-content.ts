import type { Selectable } from 'kysely';
import type { LetterContent, OutboundMessage, PostalAddress } from '../../channels/channel.js';
import type { Organisation } from '../../db/queries/organisations.js';
import type { ContactsTable, CustomersTable } from '../../db/schema/customers.js';
import type { IsoDate } from '../../domain/calendar/index.js';
import type { ActionItem } from '../../domain/dunning/index.js';
import { formatMoney, money } from '../../domain/money/index.js';
import type { RenderedMessage, TemplateVariables } from '../../domain/templates/index.js';

type Customer = Selectable<CustomersTable>;
type Contact = Selectable<ContactsTable>;

function orgAddressLines(org: Organisation): string[] {
  return [org.address_line1, org.address_line2, [org.postal_code, org.city].filter(Boolean).join(' ')].filter(
    (l): l is string => Boolean(l?.trim()),
  );
}

export function customerAddress(c: Customer): PostalAddress | undefined {
  if (!c.address_line1 || !c.postal_code || !c.city) return undefined;
  return {
    name: c.name,
    lines: [c.address_line1, c.address_line2].filter((l): l is string => Boolean(l)),
    postalCode: c.postal_code,
    city: c.city,
    country: c.country,
  };
}

/** Template variables for an action: the same builder serves previews and sends. */
export function templateVariablesOf(args: {
  org: Organisation;
  customer: Customer;
  contact: Contact | null;
  items: ActionItem[];
  statementItems: ActionItem[];
  issueDates: Map<string, { issueDate: IsoDate; grossMinor: number }>;
  today: IsoDate;
  deadlineDays: number | null;
  portalUrl?: string | null;
  structuredReference?: string | null;
}): TemplateVariables {
  const { org, customer } = args;
  const toInvoice = (i: ActionItem) => {
    const meta = args.issueDates.get(i.invoiceId);
    return {
      number: i.invoiceNumber,
      issueDate: meta?.issueDate ?? null,
      dueDate: i.dueDate,
      amountMinor: meta?.grossMinor ?? i.balanceMinor,
      balanceMinor: i.balanceMinor,
      currency: i.currency,
      daysLate: i.daysLate,
      instalmentSeq: i.instalmentSeq,
    };
  };
  return {
    organisation: {
      name: org.legal_name,
      addressLines: orgAddressLines(org),
      email: org.email,
      phone: org.phone,
      iban: org.iban,
      bic: org.bic,
      signature: (org.settings as { signature?: string } | null)?.signature ?? null,
    },
    customer: {
      name: customer.name,
      kind: customer.kind,
      reference: customer.external_ref,
      addressLines: customerAddress(customer)
        ? [customer.address_line1 ?? '', `${customer.postal_code ?? ''} ${customer.city ?? ''}`.trim()]
        : [],
    },
    contact: args.contact ? { name: args.contact.name } : null,
    invoices: [...args.items, ...args.statementItems].map(toInvoice),
    penalties: null,
    payment: { iban: org.iban, bic: org.bic, reference: args.structuredReference ?? customer.external_ref },
    portalUrl: args.portalUrl ?? null,
    collector: null,
    today: args.today,
    deadlineDays: args.deadlineDays,
  };
}

export function letterContentOf(args: {
  org: Organisation;
  rendered: RenderedMessage;
  variables: TemplateVariables;
  registered: boolean;
}): LetterContent {
  const { org, rendered, variables } = args;
  const locale = org.locale || 'fr-FR';
  const fmt = (minor: number, currency: string) => formatMoney(money(minor, currency), locale);
  const total = variables.invoices.reduce((s, i) => s + i.balanceMinor, 0);
  const currency = variables.invoices[0]?.currency ?? org.currency;
  return {
    subject: rendered.subject,
    body: rendered.letter,
    place: org.city ?? 'Paris',
    date: variables.today,
    items: variables.invoices.map((i) => ({
      invoiceNumber: i.number,
      issueDate: i.issueDate ?? '',
      dueDate: i.dueDate,
      amount: fmt(i.amountMinor, i.currency),
      balance: fmt(i.balanceMinor, i.currency),
    })),
    total: fmt(total, currency),
    payment: {
      ...(org.iban ? { iban: org.iban } : {}),
      ...(org.bic ? { bic: org.bic } : {}),
      ...(variables.payment.reference ? { reference: variables.payment.reference } : {}),
      holder: org.legal_name,
    },
    signature: { name: org.legal_name },
    registered: args.registered,
  };
}

export function senderOf(org: Organisation): OutboundMessage['sender'] {
  const s = (org.settings ?? {}) as {
    senderName?: string;
    senderEmail?: string;
    replyDomain?: string;
    smsSenderId?: string;
  };
  const address =
    org.address_line1 && org.postal_code && org.city
      ? {
          name: org.legal_name,
          lines: [org.address_line1, org.address_line2].filter((l): l is string => Boolean(l)),
          postalCode: org.postal_code,
          city: org.city,
          country: org.country,
        }
      : undefined;
  const email = s.senderEmail ?? org.email ?? undefined;
  return {
    orgId: org.id,
    name: s.senderName ?? org.legal_name,
    ...(email ? { email } : {}),
    ...(s.replyDomain ? { replyDomain: s.replyDomain } : {}),
    smsSenderId: s.smsSenderId ?? (org.legal_name.replace(/[^A-Za-z0-9]/g, '').slice(0, 11) || 'Relance'),
    ...(address ? { address } : {}),
    ...(org.siren ? { siren: org.siren } : {}),
    ...(org.phone ? { phone: org.phone } : {}),
  };
}
