import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';

/**
 * A person decides that an unmatched credit is not a customer payment (a refund from a
 * supplier, a transfer between own accounts, a grant): it leaves the review queue, records
 * nothing in the ledger, and the decision stays on the line with its author and time.
 */
export async function setAsideBankLine(
  db: Kysely<Database>,
  orgId: string,
  lineId: string,
  input: { note?: string },
  actor: string,
  now: Date,
): Promise<{ id: string; status: 'not_customer' }> {
  return withOrg(db, orgId, async (trx) => {
    const line = await trx
      .selectFrom('bank_statement_lines')
      .select(['status', 'explanation'])
      .where('org_id', '=', orgId)
      .where('id', '=', lineId)
      .forUpdate()
      .executeTakeFirst();
    if (!line) throw notFound('Bank statement line', lineId);
    if (line.status !== 'unmatched')
      throw new AppError('CONFLICT', `The line is ${line.status}: only an unmatched line can be set aside`, [
        { field: 'id', value: lineId, reason: `status is ${line.status}` },
      ]);
    const explanation = (line.explanation ?? {}) as Record<string, unknown>;
    await trx
      .updateTable('bank_statement_lines')
      .set({
        status: 'not_customer',
        decided_by: actor,
        decided_at: now,
        explanation: JSON.stringify({
          ...explanation,
          decision: { kind: 'not_customer', by: actor, at: now.toISOString(), note: input.note ?? null },
        }),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', lineId)
      .execute();
    return { id: lineId, status: 'not_customer' as const };
  });
}
