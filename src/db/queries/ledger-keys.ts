import type { Kysely } from 'kysely';
import type { ImportEntity } from '../schema/imports.js';
import type { Database } from '../schema/index.js';

/**
 * The id of a ledger record by the organisation's own key for it — the key imports and the
 * ERP API upsert on: customer reference, invoice number, credit note number, payment reference.
 */
export async function ledgerIdByKey(
  db: Kysely<Database>,
  orgId: string,
  entity: ImportEntity,
  key: string,
): Promise<string | undefined> {
  const row =
    entity === 'customers'
      ? await db
          .selectFrom('customers')
          .select('id')
          .where('org_id', '=', orgId)
          .where('external_ref', '=', key)
          .executeTakeFirst()
      : entity === 'invoices'
        ? await db
            .selectFrom('invoices')
            .select('id')
            .where('org_id', '=', orgId)
            .where('invoice_number', '=', key)
            .executeTakeFirst()
        : entity === 'credit-notes'
          ? await db
              .selectFrom('credit_notes')
              .select('id')
              .where('org_id', '=', orgId)
              .where('credit_note_number', '=', key)
              .executeTakeFirst()
          : await db
              .selectFrom('payments')
              .select('id')
              .where('org_id', '=', orgId)
              .where('payment_reference', '=', key)
              .executeTakeFirst();
  return row?.id;
}
