import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { withOrg } from '../../../src/db/connection.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { appendEvidenceEntry } from '../../../src/db/queries/evidence.js';
import type { Database } from '../../../src/db/schema/index.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';

export interface CaseFixture {
  orgId: string;
  customerId: string;
  invoiceIds: { f1: string; f2: string; disputed: string; notDue: string };
  documents: { filename: string; sha256: string; bytes: Buffer }[];
  letterSha256: string;
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * A French B2B case on 2025-09-30:
 * - F-2025-001: 10 000,00 € due 2025-03-31, 4 000,00 € paid on 2025-06-15 (worked example
 *   EX2: total due 6 539,85 € on 2025-09-30, of which principal 6 273,81 €, interest
 *   226,04 €, indemnity 40 €);
 * - F-2025-002: 1 200,00 € due 2025-06-30, unpaid: 92 days of 2025-H2 at 12,15 %
 *   (ECB 2,15 % + 10) = 1 200 × 12,15 % × 92 / 365 = 36,7496… → 36,75 €, plus 40 €;
 * - F-2025-003: disputed (left out of the claim), F-2025-004: not yet due.
 * Totals: principal 7 473,81 €, interest 262,79 €, indemnity 80,00 €, total 7 816,60 €.
 */
export async function seedCase(db: Kysely<Database>, name = 'Créancier Dupont SAS'): Promise<CaseFixture> {
  const org = await createOrganisation(db, {
    name,
    siren: '732 829 320',
    vatNumber: 'FR44732829320',
    iban: 'FR7630006000011234567890189',
    bic: 'AGRIFRPP',
  });
  await db
    .updateTable('organisations')
    .set({
      address_line1: '12 rue de la Paix',
      postal_code: '75002',
      city: 'Paris',
      email: 'compta@dupont.example',
      phone: '01 23 45 67 89',
    })
    .where('id', '=', org.id)
    .execute();
  const orgId = org.id;
  const customer = await db
    .insertInto('customers')
    .values({
      org_id: orgId,
      external_ref: 'CLI042',
      name: 'Martin Bâtiment SARL',
      kind: 'b2b',
      siren: '552100554',
      vat_number: 'FR27552100554',
      address_line1: '3 avenue des Cœurs',
      postal_code: '69003',
      city: 'Lyon',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const customerId = customer.id;
  const inv = (n: string, issue: string, due: string, gross: number, disputed = false) =>
    db
      .insertInto('invoices')
      .values({
        org_id: orgId,
        customer_id: customerId,
        invoice_number: n,
        issue_date: issue,
        due_date: due,
        currency: 'EUR',
        gross_minor: gross,
        disputed,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((r) => r.id);
  const f1 = await inv('F-2025-001', '2025-03-01', '2025-03-31', 1_000_000);
  const f2 = await inv('F-2025-002', '2025-05-31', '2025-06-30', 120_000);
  const disputed = await inv('F-2025-003', '2025-06-01', '2025-07-01', 50_000, true);
  const notDue = await inv('F-2025-004', '2025-09-15', '2025-10-15', 30_000);
  const payment = await db
    .insertInto('payments')
    .values({
      org_id: orgId,
      customer_id: customerId,
      payment_reference: 'VIR-1',
      received_on: '2025-06-15',
      currency: 'EUR',
      amount_minor: 400_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('allocations')
    .values({ org_id: orgId, invoice_id: f1, payment_id: payment.id, amount_minor: 400_000 })
    .execute();
  await refreshBalances(db, orgId, { customerIds: [customerId] });

  const files = [
    {
      kind: 'invoice' as const,
      invoice_id: f1,
      filename: 'F-2025-001.pdf',
      bytes: Buffer.from('%PDF-1.4 invoice one'),
    },
    {
      kind: 'contract' as const,
      invoice_id: null,
      filename: 'contrat-cadre.pdf',
      bytes: Buffer.from('%PDF-1.4 contract'),
    },
    {
      kind: 'invoice' as const,
      invoice_id: disputed,
      filename: 'F-2025-003.pdf',
      bytes: Buffer.from('disputed'),
    },
  ];
  for (const f of files) {
    await db
      .insertInto('documents')
      .values({
        org_id: orgId,
        customer_id: f.invoice_id ? null : customerId,
        invoice_id: f.invoice_id,
        kind: f.kind,
        filename: f.filename,
        mime_type: 'application/pdf',
        size_bytes: f.bytes.length,
        sha256: sha(f.bytes),
        content: f.bytes,
      })
      .execute();
  }
  const letterSha256 = sha('the reminder letter as sent');
  await withOrg(db, orgId, async (trx) => {
    await appendEvidenceEntry(trx, orgId, {
      customerId,
      kind: 'message_sent',
      channel: 'email',
      summary: 'First reminder sent by email to compta@martin.example: F-2025-001',
      payload: { stepKey: 'reminder-1' },
      contentSha256: sha('the first email'),
      at: new Date('2025-04-07T08:00:00Z'),
    });
    await appendEvidenceEntry(trx, orgId, {
      customerId,
      kind: 'message_sent',
      channel: 'letter',
      summary: 'Last reminder sent by letter: F-2025-001, F-2025-002',
      payload: { stepKey: 'last-reminder' },
      contentSha256: letterSha256,
      at: new Date('2025-07-21T08:00:00Z'),
    });
  });
  return {
    orgId,
    customerId,
    invoiceIds: { f1, f2, disputed, notDue },
    documents: files.map((f) => ({ filename: f.filename, sha256: sha(f.bytes), bytes: f.bytes })),
    letterSha256,
  };
}
