import type { Kysely, Selectable } from 'kysely';
import type { Database, MessageTemplatesTable } from '../schema/index.js';

export type MessageTemplateRow = Selectable<MessageTemplatesTable>;

/** The organisation's latest version of one template (key × locale), if it ever edited it. */
export async function latestMessageTemplate(
  db: Kysely<Database>,
  orgId: string,
  templateKey: string,
  locale: 'fr' | 'en',
): Promise<MessageTemplateRow | undefined> {
  return db
    .selectFrom('message_templates')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('template_key', '=', templateKey)
    .where('locale', '=', locale)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest version of every template the organisation edited. */
export async function latestMessageTemplates(
  db: Kysely<Database>,
  orgId: string,
): Promise<MessageTemplateRow[]> {
  return db
    .selectFrom('message_templates as t')
    .selectAll('t')
    .where('t.org_id', '=', orgId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('message_templates as n')
            .select('n.version')
            .whereRef('n.org_id', '=', 't.org_id')
            .whereRef('n.template_key', '=', 't.template_key')
            .whereRef('n.locale', '=', 't.locale')
            .whereRef('n.version', '>', 't.version'),
        ),
      ),
    )
    .orderBy('t.template_key')
    .orderBy('t.locale')
    .execute();
}

/**
 * Insert the next version. Two concurrent saves compute the same version and the primary
 * key refuses the second (the caller maps it to CONFLICT), so no edit is lost silently.
 */
export async function insertMessageTemplateVersion(
  db: Kysely<Database>,
  row: Omit<MessageTemplatesTable, 'version' | 'updated_at'>,
): Promise<MessageTemplateRow> {
  const latest = await latestMessageTemplate(db, row.org_id, row.template_key, row.locale);
  return db
    .insertInto('message_templates')
    .values({ ...row, version: (latest?.version ?? 0) + 1 })
    .returningAll()
    .executeTakeFirstOrThrow();
}
