import type { Kysely } from 'kysely';
import { renderClaimDeclarationPdf } from '../../channels/letter/claim-declaration-pdf.js';
import { withOrg } from '../../db/connection.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import { STAYING_KIND_LIST } from '../../db/queries/solvency.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import { type DeclarationAmounts, declarationAmounts } from '../../domain/solvency/declaration.js';
import { dueStatusAt, JUDGMENT_LABEL_FR, type JudgmentKind } from '../../domain/solvency/judgments.js';
import { AppError, notFound } from '../../errors.js';
import { computeInvoicesPenalties } from '../law/invoices-penalties.js';

export interface ClaimDeclarationResult {
  documentId: string;
  filename: string;
  sha256: string;
  pdf: Buffer;
  amounts: DeclarationAmounts;
  judgmentId: string;
  evidenceSeq: number;
}

const join = (...parts: (string | null | undefined)[]) =>
  parts.filter((x) => x && x.trim() !== '').join(', ');

/**
 * Generate the "déclaration de créance" for a customer's opening judgment (the latest one
 * applied unless `judgmentId` is given), store it with the customer's documents and record
 * it, with its SHA-256, in the evidence file. Interest is computed to the judgment date,
 * where L622-28 stops it.
 */
export async function declareClaim(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  input: { judgmentId?: string; signatory?: string; reservationOfTitle?: boolean },
  now: Date,
): Promise<ClaimDeclarationResult> {
  const judgment = await withOrg(db, orgId, async (trx) => {
    let q = trx
      .selectFrom('insolvency_judgments')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .where('applied_at', 'is not', null)
      .where('kind', 'in', [...STAYING_KIND_LIST]);
    if (input.judgmentId) q = q.where('id', '=', input.judgmentId);
    return q.orderBy('judgment_date').executeTakeFirst();
  });
  if (!judgment)
    throw new AppError(
      'UNPROCESSABLE',
      'No opening judgment is recorded for this customer: nothing to declare',
      [{ field: 'judgmentId', reason: 'no applied opening judgment (import the BODACC notice first)' }],
    );
  const invoices = await withOrg(db, orgId, (trx) =>
    trx
      .selectFrom('invoices')
      .select(['id', 'invoice_number', 'issue_date', 'due_date', 'currency', 'balance_minor'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .where('balance_minor', '>', 0)
      .orderBy('issue_date')
      .execute(),
  );
  const currencies = new Set(invoices.map((i) => i.currency));
  if (currencies.size > 1)
    throw new AppError(
      'UNPROCESSABLE',
      'The customer owes in several currencies: declare each currency separately',
      [{ field: 'currency', value: [...currencies].join(','), reason: 'one currency per declaration' }],
    );
  const fallen = invoices.filter(
    (i) =>
      i.issue_date < judgment.judgment_date && dueStatusAt(i.due_date, judgment.judgment_date) === 'echu',
  );
  const penalties = await computeInvoicesPenalties(
    db,
    orgId,
    fallen.map((i) => i.id),
    judgment.judgment_date,
  );
  const amounts = declarationAmounts(
    invoices.map((i) => {
      const st = penalties.get(i.id);
      return {
        invoiceId: i.id,
        invoiceNumber: i.invoice_number,
        issueDate: i.issue_date,
        dueDate: i.due_date,
        currency: i.currency,
        balanceMinor: Number(i.balance_minor),
        interestMinor: st?.ok ? st.statement.totals.interestOutstanding.amount : 0,
      };
    }),
    judgment.judgment_date,
  );
  if (amounts.lines.length === 0)
    throw new AppError('UNPROCESSABLE', 'No open invoice was born before the judgment: nothing to declare', [
      { field: 'invoices', reason: `no open invoice issued before ${judgment.judgment_date}` },
    ]);

  return withOrg(db, orgId, async (trx) => {
    const org = await getOrganisation(trx, orgId);
    if (!org) throw notFound('Organisation', orgId);
    const customer = await trx
      .selectFrom('customers')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', customerId)
      .executeTakeFirst();
    if (!customer) throw notFound('Customer', customerId);
    const docs = await trx
      .selectFrom('documents')
      .select(['filename', 'kind'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .orderBy('created_at')
      .execute();
    const today = zonedParts(now, org.time_zone).date;
    const supporting = [
      ...amounts.lines.map(
        (l) => `Facture ${l.invoiceNumber} du ${l.issueDate.split('-').reverse().join('/')}`,
      ),
      ...docs.map((d) => `${d.filename} (${d.kind})`),
      'Conditions générales de vente (clause de pénalités de retard et, le cas échéant, de réserve de propriété)',
      'Relevé de compte du débiteur au jour du jugement',
    ];
    const rendered = await renderClaimDeclarationPdf({
      creditor: {
        name: org.legal_name,
        siren: org.siren ?? null,
        address: join(org.address_line1, org.postal_code, org.city),
        email: org.email ?? null,
      },
      debtor: {
        name: customer.name,
        siren: judgment.siren,
        address: join(customer.address_line1, customer.address_line2, customer.postal_code, customer.city),
      },
      judgment: {
        label: JUDGMENT_LABEL_FR[judgment.kind as JudgmentKind],
        judgmentDate: judgment.judgment_date,
        publicationDate: judgment.publication_date,
        announcementNumber: judgment.announcement_number,
        tribunal: judgment.tribunal,
        mandataire: judgment.mandataire,
        declarationDeadline: judgment.declaration_deadline,
        reservationDeadline: judgment.reservation_deadline,
      },
      amounts,
      reservationOfTitle: input.reservationOfTitle ?? false,
      supportingDocuments: supporting,
      signatory: input.signatory?.trim() || 'le représentant légal',
      place: org.city ?? '',
      date: today,
      createdAt: now,
    });
    const filename = `declaration-creance-${judgment.siren}-${today}.pdf`;
    const doc = await trx
      .insertInto('documents')
      .values({
        org_id: orgId,
        customer_id: customerId,
        invoice_id: null,
        kind: 'letter',
        filename,
        mime_type: 'application/pdf',
        size_bytes: rendered.pdf.length,
        sha256: rendered.sha256,
        content: rendered.pdf,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const entry = await appendEvidenceEntry(trx, orgId, {
      customerId,
      kind: 'note',
      channel: null,
      summary: `procédure collective : déclaration de créance générée (${amounts.lines.length} facture(s), total déclaré ${amounts.totalMinor} ${amounts.currency} en unités mineures)`,
      payload: {
        judgmentId: judgment.id,
        documentId: doc.id,
        echuMinor: amounts.echuMinor,
        aEchoirMinor: amounts.aEchoirMinor,
        interestMinor: amounts.interestMinor,
        totalMinor: amounts.totalMinor,
        currency: amounts.currency,
        invoiceIds: amounts.lines.map((l) => l.invoiceId),
      },
      contentSha256: rendered.sha256,
      at: now,
    });
    return {
      documentId: doc.id,
      filename,
      sha256: rendered.sha256,
      pdf: rendered.pdf,
      amounts,
      judgmentId: judgment.id,
      evidenceSeq: entry.seq,
    };
  });
}
