import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { STAYING_KIND_LIST } from '../../db/queries/solvency.js';
import type { Database } from '../../db/schema/index.js';
import type { CustomerSolvency } from '../../domain/solvency/customer-solvency-view.js';
import { bornBeforeJudgment, JUDGMENT_LABEL_FR, type JudgmentKind } from '../../domain/solvency/judgments.js';
import { sirenProblem } from '../../domain/solvency/siren.js';
import { notFound } from '../../errors.js';
import { HEADCOUNT_BANDS } from '../../ingest/sirene/identity.js';
import { customerCreditPosition, proceedingFacts } from './credit-position.js';

/** The identity / proceedings / limit panel of the customer file, and its banner. */
export async function getCustomerSolvency(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
): Promise<CustomerSolvency> {
  return withOrg(db, orgId, async (trx) => {
    const c = await trx
      .selectFrom('customers')
      .select(['id', 'siren'])
      .where('org_id', '=', orgId)
      .where('id', '=', customerId)
      .executeTakeFirst();
    if (!c) throw notFound('Customer', customerId);
    const idn = c.siren
      ? await trx
          .selectFrom('company_identities')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('siren', '=', c.siren)
          .executeTakeFirst()
      : undefined;
    const facts = c.siren
      ? await proceedingFacts(trx, orgId, c.siren)
      : { judgments: [], openProceeding: null, inPlan: false };
    const position = await customerCreditPosition(trx, orgId, customerId);
    let banner: CustomerSolvency['banner'] = null;
    if (facts.openProceeding) {
      const opening = facts.judgments.find(
        (j) =>
          (STAYING_KIND_LIST as readonly string[]).includes(j.kind) &&
          j.customer_id === customerId &&
          j.applied_at !== null,
      );
      if (opening) {
        const invoices = await trx
          .selectFrom('invoices')
          .select(['issue_date', 'balance_minor'])
          .where('org_id', '=', orgId)
          .where('customer_id', '=', customerId)
          .where('balance_minor', '>', 0)
          .execute();
        const pre = { count: 0, balanceMinor: 0 };
        const post = { count: 0, balanceMinor: 0 };
        for (const i of invoices) {
          const side = bornBeforeJudgment(i.issue_date, opening.judgment_date) ? pre : post;
          side.count++;
          side.balanceMinor += Number(i.balance_minor);
        }
        banner = {
          label: JUDGMENT_LABEL_FR[opening.kind as JudgmentKind],
          judgmentDate: opening.judgment_date,
          declarationDeadline: opening.declaration_deadline,
          judgmentId: opening.id,
          preJudgment: pre,
          postJudgment: post,
        };
      }
    }
    const declarations = await trx
      .selectFrom('documents')
      .select(['id', 'filename', 'created_at'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .where('filename', 'like', 'declaration-creance-%')
      .orderBy('created_at', 'desc')
      .execute();
    return {
      customerId,
      siren: c.siren,
      sirenProblem: c.siren ? sirenProblem(c.siren) : null,
      identity: idn
        ? {
            legalName: idn.legal_name,
            status: idn.status,
            statusSince: idn.status_since,
            creationDate: idn.creation_date,
            legalForm: idn.legal_form,
            nafCode: idn.naf_code,
            headcountLabel: idn.headcount_band ? (HEADCOUNT_BANDS[idn.headcount_band]?.label ?? null) : null,
            address: idn.address,
            source: idn.source,
          }
        : null,
      proceedings: facts.judgments.map((j) => ({
        id: j.id,
        kind: j.kind,
        label: JUDGMENT_LABEL_FR[j.kind as JudgmentKind] ?? j.nature,
        judgmentDate: j.judgment_date,
        publicationDate: j.publication_date,
        tribunal: j.tribunal,
        mandataire: j.mandataire,
        declarationDeadline: j.declaration_deadline,
        reservationDeadline: j.reservation_deadline,
      })),
      banner,
      declarations: declarations.map((d) => ({
        documentId: d.id,
        filename: d.filename,
        createdAt: new Date(d.created_at as unknown as string).toISOString(),
      })),
      credit: position.customer,
      group: position.group,
    };
  });
}
