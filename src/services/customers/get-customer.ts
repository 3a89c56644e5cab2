import type { Kysely } from 'kysely';
import {
  type Contact,
  type CurrencyBalance,
  type Customer,
  customerBalances,
  getCustomer,
  listContacts,
} from '../../db/queries/customers.js';
import type { Database } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';

export interface CustomerDetail {
  customer: Customer;
  contacts: Contact[];
  /** One entry per currency the customer owes or holds credit in. */
  balances: CurrencyBalance[];
}

/** A customer with its contacts and what it owes on `asOf`. Runs inside withOrg. */
export async function getCustomerDetail(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  asOf: string,
): Promise<CustomerDetail> {
  const customer = await getCustomer(db, orgId, customerId);
  if (!customer) throw notFound('Customer', customerId);
  const [contacts, balances] = [
    await listContacts(db, orgId, customerId),
    await customerBalances(db, orgId, customerId, asOf),
  ];
  return { customer, contacts, balances };
}
