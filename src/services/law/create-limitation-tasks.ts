import { type Kysely, sql } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import type { IsoDate } from '../../domain/calendar/index.js';
import { listLimitationWarnings } from './list-limitation-warnings.js';

/**
 * One follow-up task per receivable and alert threshold (90, 30, then 7 days before the
 * limitation deadline), so a collector acts before the claim lapses: an acknowledgment, a
 * payment plan or a court claim restarts or stops the period; a formal notice does not.
 * Idempotent: a threshold already tasked for an invoice is not tasked again, and a
 * transaction-scoped lock per organisation keeps two runs of the daily job from racing.
 */
export async function createLimitationTasks(
  db: Kysely<Database>,
  orgId: string,
  today: IsoDate,
): Promise<{ created: number }> {
  return withOrg(db, orgId, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`limitation-tasks:${orgId}`}, 0))`.execute(trx);
    const warnings = await listLimitationWarnings(trx, orgId, today, { includeLapsed: false });
    let created = 0;
    for (const w of warnings) {
      if (w.threshold === null) continue;
      const title = `Prescription le ${w.deadline} (dans ${w.daysLeft} j) : facture ${w.invoiceNumber}`;
      const detail = {
        limitationThreshold: w.threshold,
        deadline: w.deadline,
        start: w.start,
        startBasis: w.startBasis,
        reference: w.reference,
      };
      const r = await sql<{ id: string }>`
        insert into tasks (org_id, customer_id, invoice_id, kind, title, detail, due_date)
        select ${orgId}, ${w.customerId}, ${w.invoiceId}, 'follow_up', ${title}, ${JSON.stringify(detail)}::jsonb, ${today}
        where not exists (
          select 1 from tasks where org_id = ${orgId} and invoice_id = ${w.invoiceId} and kind = 'follow_up'
            and detail->>'limitationThreshold' = ${String(w.threshold)} and detail->>'deadline' = ${w.deadline}
        )
        returning id
      `.execute(trx);
      if (r.rows.length === 0) continue;
      created++;
      await appendEvidenceEntry(trx, orgId, {
        customerId: w.customerId,
        kind: 'task_created',
        channel: null,
        summary: `Limitation alert (${w.threshold} days): ${w.invoiceNumber} lapses on ${w.deadline}`,
        payload: { taskId: r.rows[0]?.id, invoiceId: w.invoiceId, ...detail },
        contentSha256: null,
      });
    }
    return { created };
  });
}
