import type { Kysely } from 'kysely';
import { renderFormalNoticePdf } from '../../channels/letter/formal-notice-pdf.js';
import type { Database } from '../../db/schema/index.js';
import type { FormalNotice } from '../../domain/law/formal-notice.js';
import { loadLogoBytes } from '../branding/load-logo.js';
import { type ClaimOptions, type ExcludedInvoice, loadCustomerClaim } from './customer-claim.js';

export interface RenderedFormalNotice {
  pdf: Buffer;
  sha256: string;
  pages: number;
  filename: string;
  notice: FormalNotice;
  excluded: ExcludedInvoice[];
}

/**
 * The mise en demeure of one customer as a PDF letter: its undisputed overdue items, with
 * principal, penalties and indemnity computed to `date` by the law engine, and a deadline of
 * `deadlineDays` (15) rolled to the next working day. Rendering only: nothing is sent or
 * recorded as evidence here (the dunning engine does that when it posts the letter).
 */
export async function renderFormalNotice(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  opts: ClaimOptions,
): Promise<RenderedFormalNotice> {
  const claim = await loadCustomerClaim(db, orgId, customerId, opts);
  const { org, customer, notice } = claim;
  const rendered = await renderFormalNoticePdf({
    notice,
    customerRef: customer.external_ref,
    debtorCountry: customer.country.trim(),
    place: org.city ?? '',
    payment: { iban: org.iban, bic: org.bic, holder: org.legal_name },
    contact: { phone: org.phone, email: org.email },
    logo: await loadLogoBytes(db, orgId),
  });
  return {
    ...rendered,
    filename: `mise-en-demeure-${safeName(customer.external_ref)}-${claim.date}.pdf`,
    notice,
    excluded: claim.excluded,
  };
}

export const safeName = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '_');
