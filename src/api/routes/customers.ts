import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Contact, type Customer, listCustomers } from '../../db/queries/customers.js';
import { getCustomerDetail } from '../../services/customers/get-customer.js';
import { type ApiDeps, inOrg, orgToday } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import {
  booleanQuery,
  idParam,
  iso,
  isoDate,
  moneySchema,
  pageOf,
  pageQuery,
  problemResponses,
  sortQuery,
  toMoney,
} from '../schemas/common.js';

export const customerSchema = z
  .object({
    id: z.uuid(),
    externalRef: z.string(),
    name: z.string(),
    kind: z.enum(['b2b', 'b2c']),
    siren: z.string().nullable(),
    siret: z.string().nullable(),
    vatNumber: z.string().nullable(),
    address: z.object({
      line1: z.string().nullable(),
      line2: z.string().nullable(),
      postalCode: z.string().nullable(),
      city: z.string().nullable(),
      country: z.string(),
    }),
    segment: z.enum(['strategic', 'standard']),
    creditLimit: moneySchema.nullable(),
    currency: z.string(),
    language: z.enum(['fr', 'en']),
    assignedCollector: z.string().nullable(),
    creditHold: z.boolean(),
    paymentTermsDays: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Customer' });

const customerListItem = customerSchema
  .extend({
    balanceDue: moneySchema.describe('Open balance in the customer currency'),
    overdue: moneySchema.describe('Part of balanceDue past its due date'),
  })
  .meta({ id: 'CustomerListItem' });

const contactSchema = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  role: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  preferredChannel: z.enum(['email', 'sms', 'letter', 'phone']),
  language: z.enum(['fr', 'en']).nullable(),
  consentEmail: z.boolean(),
  consentSms: z.boolean(),
  isPrimary: z.boolean(),
  emailInvalid: z.boolean(),
});

const customerDetail = customerSchema
  .extend({
    contacts: z.array(contactSchema),
    balances: z.array(
      z.object({
        currency: z.string(),
        totalDue: moneySchema,
        overdue: moneySchema,
        unallocatedCredit: moneySchema.describe(
          'Unallocated payments and credit notes held for the customer',
        ),
        openInvoices: z.number().int(),
      }),
    ),
    asOf: isoDate,
  })
  .meta({ id: 'CustomerDetail' });

const listQuerySchema = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('Search in name and external reference'),
  kind: z.enum(['b2b', 'b2c']).optional(),
  segment: z.enum(['strategic', 'standard']).optional(),
  assignedCollector: z.string().min(1).max(200).optional(),
  hasOverdue: booleanQuery.optional(),
  asOf: isoDate
    .optional()
    .describe("Day overdue is judged on; default today in the organisation's time zone"),
  sort: sortQuery(['name', 'externalRef', 'balanceDue', 'createdAt'], 'name'),
  ...pageQuery,
});

export function toCustomer(c: Customer): z.infer<typeof customerSchema> {
  return {
    id: c.id,
    externalRef: c.external_ref,
    name: c.name,
    kind: c.kind,
    siren: c.siren,
    siret: c.siret,
    vatNumber: c.vat_number,
    address: {
      line1: c.address_line1,
      line2: c.address_line2,
      postalCode: c.postal_code,
      city: c.city,
      country: c.country.trim(),
    },
    segment: c.segment,
    creditLimit: c.credit_limit_minor === null ? null : toMoney(c.credit_limit_minor, c.currency),
    currency: c.currency.trim(),
    language: c.language,
    assignedCollector: c.assigned_collector,
    creditHold: c.credit_hold,
    paymentTermsDays: c.payment_terms_days,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}

function toContact(c: Contact): z.infer<typeof contactSchema> {
  return {
    id: c.id,
    name: c.name,
    role: c.role,
    email: c.email,
    phone: c.phone,
    preferredChannel: c.preferred_channel,
    language: c.language,
    consentEmail: c.consent_email,
    consentSms: c.consent_sms,
    isPrimary: c.is_primary,
    emailInvalid: c.email_invalid,
  };
}

export const customerRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/customers',
    {
      schema: {
        tags: ['ledger'],
        summary: 'List customers (debtors) with their open balance',
        querystring: listQuerySchema,
        response: { 200: pageOf(customerListItem), ...problemResponses },
      },
    },
    async (request) => {
      const { sort, limit, cursor, asOf, ...filters } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const day = asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const page = await listCustomers(
          trx,
          auth.orgId,
          { ...filters, asOf: day },
          { sort: sort.field, direction: sort.direction, limit, cursor },
        );
        return {
          items: page.items.map((c) => ({
            ...toCustomer(c),
            balanceDue: toMoney(c.balance_due, c.currency),
            overdue: toMoney(c.overdue_due, c.currency),
          })),
          nextCursor: page.nextCursor,
        };
      });
    },
  );

  app.get(
    '/customers/:id',
    {
      schema: {
        tags: ['ledger'],
        summary: 'A customer with its contacts and balance summary',
        params: idParam,
        querystring: z.object({ asOf: isoDate.optional() }),
        response: { 200: customerDetail, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const day = request.query.asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const d = await getCustomerDetail(trx, auth.orgId, request.params.id, day);
        return {
          ...toCustomer(d.customer),
          contacts: d.contacts.map(toContact),
          balances: d.balances.map((b) => ({
            currency: b.currency,
            totalDue: toMoney(b.total_due, b.currency),
            overdue: toMoney(b.overdue, b.currency),
            unallocatedCredit: toMoney(b.unallocated_credit, b.currency),
            openInvoices: b.open_invoices,
          })),
          asOf: day,
        };
      }),
  );
};
