import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { insertPortalLink, revokePortalLinks } from '../../db/queries/portal.js';
import type { Database } from '../../db/schema/index.js';
import {
  DEFAULT_PORTAL_LINK_DAYS,
  MAX_PORTAL_LINK_DAYS,
  portalTokenHash,
  signPortalToken,
} from '../../domain/portal/index.js';
import { AppError } from '../../errors.js';
import { type PortalSecretSource, portalSigningKey } from './portal-access.js';

export type CustomerSelector = { customerId: string } | { customerRef: string };

export interface CreatePortalLinkOptions extends PortalSecretSource {
  /** Public base URL of the portal, e.g. https://relance.example.com (no trailing slash needed). */
  baseUrl: string;
  /** Validity in days, 1 to 365; default 30. */
  days?: number;
  createdBy?: string;
  now?: Date;
}

export interface PortalLink {
  id: string;
  customerId: string;
  customerRef: string;
  token: string;
  url: string;
  expiresAt: Date;
}

const DAY_MS = 86_400_000;

/**
 * Issue a fresh link to a customer's portal. Earlier links stay valid until they expire, so
 * re-sending a link never breaks the one in a previous reminder; revoke them explicitly.
 * Runs inside the caller's withOrg transaction.
 */
export async function createPortalLink(
  trx: Kysely<Database>,
  orgId: string,
  customer: CustomerSelector,
  opts: CreatePortalLinkOptions,
): Promise<PortalLink> {
  const days = opts.days ?? DEFAULT_PORTAL_LINK_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_PORTAL_LINK_DAYS) {
    throw new AppError('VALIDATION', `A portal link lasts 1 to ${MAX_PORTAL_LINK_DAYS} days`, [
      {
        field: 'days',
        value: String(days),
        reason: `must be a whole number from 1 to ${MAX_PORTAL_LINK_DAYS}`,
      },
    ]);
  }
  let q = trx.selectFrom('customers').select(['id', 'external_ref']).where('org_id', '=', orgId);
  q =
    'customerId' in customer
      ? q.where('id', '=', customer.customerId)
      : q.where('external_ref', '=', customer.customerRef);
  const row = await q.executeTakeFirst();
  if (!row) {
    const [field, value] =
      'customerId' in customer ? ['customerId', customer.customerId] : ['customer', customer.customerRef];
    throw new AppError('NOT_FOUND', `Customer ${value} not found`, [
      { field, value, reason: 'no customer with this reference in the organisation' },
    ]);
  }
  const key = await portalSigningKey(trx, orgId, opts, true);
  if (!key) throw new AppError('INTERNAL', 'No portal signing key');
  const id = randomUUID();
  const token = signPortalToken({ orgId, linkId: id }, key);
  const now = opts.now ?? new Date();
  const expiresAt = new Date(now.getTime() + days * DAY_MS);
  await insertPortalLink(trx, orgId, {
    id,
    customerId: row.id,
    tokenHash: portalTokenHash(token),
    expiresAt,
    createdBy: opts.createdBy ?? null,
  });
  return {
    id,
    customerId: row.id,
    customerRef: row.external_ref,
    token,
    url: `${opts.baseUrl.replace(/\/+$/, '')}/portal/${token}`,
    expiresAt,
  };
}

/** Revoke all of a customer's links (e.g. a link was forwarded to the wrong person). */
export function revokeCustomerPortalLinks(
  trx: Kysely<Database>,
  orgId: string,
  customerId: string,
  now: Date = new Date(),
): Promise<number> {
  return revokePortalLinks(trx, orgId, { customerId }, now);
}
