import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { addYears } from '../../domain/calendar/index.js';
import {
  declarationDeadline,
  declarationPeriodExtended,
  JUDGMENT_LABEL_FR,
  type JudgmentKind,
  OPENING_KINDS,
  reservationOfTitleDeadline,
  STAYING_KINDS,
} from '../../domain/solvency/judgments.js';
import { notFound } from '../../errors.js';

/** The reason every pause and timeline entry of a proceeding carries (the UI shows it as is). */
export const PROCEEDING_REASON = 'procédure collective';

/** The `detail.subject` of the tasks this feature creates (tasks.kind stays 'follow_up'). */
export type SolvencyTaskSubject =
  | 'claim_declaration'
  | 'write_off_proposal'
  | 'company_ceased'
  | 'credit_limit';

export interface AppliedJudgment {
  judgmentId: string;
  customerId: string;
  kind: JudgmentKind;
  pausedInvoices: number;
  declarationTaskId: string | null;
  declarationDeadline: string | null;
  writeOffTaskId: string | null;
}

const fr = (d: string) => d.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');

/**
 * Apply one matched BODACC judgment to a customer, once (applied_at). Opening judgments
 * (and conversions when no opening was seen) stay every claim born before the judgment:
 * - L622-21 C. com. (L631-14, L641-3): no individual action to obtain payment → an invoice
 *   pause per pre-judgment open invoice, reason "procédure collective", which the planner
 *   already honours, so the dry run shows why; claims born after (L622-17) are left alone;
 * - L622-28: interest stops at the judgment date (the penalties engine reads the judgment);
 * - R622-24: the claim must be declared within two months of the BODACC publication
 *   (four for a creditor off the court's territory, R622-24 al. 2-3) → a task due that day.
 * A closure for insufficient assets (L643-9) proposes the write-off, with what is needed to
 * recover the VAT on the bad debt (CGI art. 272, BOI-TVA-DED-50-20-20).
 */
export async function applyJudgment(
  trx: Kysely<Database>,
  orgId: string,
  judgmentId: string,
  customerId: string,
  now: Date,
): Promise<AppliedJudgment> {
  const j = await trx
    .selectFrom('insolvency_judgments')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', judgmentId)
    .forUpdate()
    .executeTakeFirst();
  if (!j) throw notFound('Judgment', judgmentId);
  const kind = j.kind as JudgmentKind;
  const result: AppliedJudgment = {
    judgmentId,
    customerId,
    kind,
    pausedInvoices: 0,
    declarationTaskId: null,
    declarationDeadline: null,
    writeOffTaskId: null,
  };
  if (j.applied_at !== null) return result;
  const label = `${JUDGMENT_LABEL_FR[kind]} du ${fr(j.judgment_date)}`;
  let deadline: string | null = null;
  let reservation: string | null = null;

  if (STAYING_KINDS.has(kind)) {
    const earlierOpening = await trx
      .selectFrom('insolvency_judgments')
      .select('id')
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .where('applied_at', 'is not', null)
      .where('kind', 'in', [...OPENING_KINDS])
      .where('id', '!=', judgmentId)
      .executeTakeFirst();
    const invoices = await trx
      .selectFrom('invoices')
      .select(['id', 'invoice_number'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .where('balance_minor', '>', 0)
      .where('issue_date', '<', j.judgment_date)
      .execute();
    const reason = `${PROCEEDING_REASON} : ${label} (${j.tribunal ?? 'tribunal non précisé'}) — créance antérieure, poursuites individuelles interdites (art. L622-21 C. com.), intérêts arrêtés (L622-28)`;
    // A stay has no end date of its own: the pause runs until the proceeding is closed
    // (a closure ends it by hand); ten years is beyond any proceeding's usual length.
    const until = addYears(j.judgment_date, 10);
    if (invoices.length > 0) {
      await trx
        .insertInto('dunning_pauses')
        .values(
          invoices.map((i) => ({
            org_id: orgId,
            customer_id: customerId,
            invoice_id: i.id,
            reason,
            until,
            created_by: 'bodacc',
          })),
        )
        .execute();
    }
    result.pausedInvoices = invoices.length;
    await appendEvidenceEntry(trx, orgId, {
      customerId,
      kind: 'pause',
      channel: null,
      summary: `${PROCEEDING_REASON} : ${label} — relances, pénalités et contentieux arrêtés pour ${invoices.length} facture(s) antérieure(s) au jugement (L622-21, L622-28)`,
      payload: {
        judgmentId,
        judgmentKind: kind,
        judgmentDate: j.judgment_date,
        publicationDate: j.publication_date,
        announcementNumber: j.announcement_number,
        tribunal: j.tribunal,
        invoiceIds: invoices.map((i) => i.id),
        until,
        reason: PROCEEDING_REASON,
        by: 'bodacc',
      },
      contentSha256: null,
      at: now,
    });
    if (!earlierOpening) {
      const org = await getOrganisation(trx, orgId);
      if (!org) throw notFound('Organisation', orgId);
      const outside = declarationPeriodExtended(
        { country: org.country ?? 'FR', postalCode: org.postal_code ?? null },
        j.debtor_postal_code,
      );
      deadline = declarationDeadline(j.publication_date, outside);
      reservation = reservationOfTitleDeadline(j.publication_date);
      const task = await trx
        .insertInto('tasks')
        .values({
          org_id: orgId,
          customer_id: customerId,
          invoice_id: null,
          kind: 'follow_up',
          title: `Déclarer la créance au mandataire avant le ${fr(deadline)} (${label})`,
          detail: JSON.stringify({
            subject: 'claim_declaration' satisfies SolvencyTaskSubject,
            judgmentId,
            deadline,
            reservationOfTitleDeadline: reservation,
            mandataire: j.mandataire,
            rule: outside ? 'R622-24 (+2 mois : créancier hors du ressort du tribunal)' : 'R622-24',
          }),
          due_date: deadline,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      result.declarationTaskId = task.id;
      result.declarationDeadline = deadline;
    }
  } else if (kind === 'closure_insufficient_assets') {
    const open = await trx
      .selectFrom('invoices')
      .select(['id', 'invoice_number', 'balance_minor', 'gross_minor', 'tax_minor', 'currency'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .where('balance_minor', '>', 0)
      .where('issue_date', '<', j.judgment_date)
      .orderBy('invoice_number')
      .execute();
    const items = open.map((i) => ({
      invoiceId: i.id,
      invoiceNumber: i.invoice_number,
      balanceMinor: Number(i.balance_minor),
      // The VAT share of what is left unpaid, prorated on the invoice's own VAT share.
      vatMinor:
        Number(i.gross_minor) > 0
          ? Math.round((Number(i.balance_minor) * Number(i.tax_minor)) / Number(i.gross_minor))
          : 0,
      currency: i.currency,
    }));
    const total = items.reduce((a, i) => a + i.balanceMinor, 0);
    const task = await trx
      .insertInto('tasks')
      .values({
        org_id: orgId,
        customer_id: customerId,
        invoice_id: null,
        kind: 'follow_up',
        title: `Passer en perte les créances irrécouvrables (${label}) et récupérer la TVA (CGI art. 272)`,
        detail: JSON.stringify({
          subject: 'write_off_proposal' satisfies SolvencyTaskSubject,
          judgmentId,
          items,
          totalMinor: total,
          documents: VAT_RECOVERY_DOCUMENTS,
        }),
        due_date: j.publication_date,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    result.writeOffTaskId = task.id;
    await appendEvidenceEntry(trx, orgId, {
      customerId,
      kind: 'note',
      channel: null,
      summary: `${PROCEEDING_REASON} : ${label} — passage en perte proposé pour ${items.length} facture(s), TVA récupérable (CGI art. 272)`,
      payload: { judgmentId, judgmentKind: kind, items, totalMinor: total, taskId: task.id, by: 'bodacc' },
      contentSha256: null,
      at: now,
    });
  } else {
    await appendEvidenceEntry(trx, orgId, {
      customerId,
      kind: 'note',
      channel: null,
      summary: `${PROCEEDING_REASON} : ${label} publié au BODACC le ${fr(j.publication_date)}`,
      payload: { judgmentId, judgmentKind: kind, nature: j.nature, by: 'bodacc' },
      contentSha256: null,
      at: now,
    });
  }
  await trx
    .updateTable('insolvency_judgments')
    .set({
      customer_id: customerId,
      applied_at: now,
      declaration_deadline: deadline,
      reservation_deadline: reservation,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', judgmentId)
    .execute();
  return result;
}

/**
 * What the tax office asks for to recover the VAT paid on a debt that became definitively
 * irrecoverable (CGI art. 272-1; BOI-TVA-DED-50-20-20): the VAT is reduced through a
 * corrective invoice (avoir) sent to the debtor or the liquidator, on the proof of
 * irrecoverability, here the closure judgment for insufficient assets.
 */
export const VAT_RECOVERY_DOCUMENTS = [
  'Jugement de clôture pour insuffisance d’actif (ou extrait BODACC) établissant le caractère définitivement irrécouvrable',
  'Copie de la déclaration de créance adressée au mandataire / liquidateur et, le cas échéant, l’état des créances',
  'Factures d’origine mentionnant la TVA collectée et reversée',
  'Facture rectificative (avoir) adressée au débiteur ou au liquidateur, mentionnant la TVA à récupérer (CGI art. 272-1, 289)',
  'Écriture de passage en perte (compte 654) et imputation de la TVA récupérée sur la déclaration de TVA de la période',
];
