import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { dunningSettingsOf, dunningSettingsSchema, type OrgDunningSettings } from './dunning-settings.js';

export type DunningSettingsPatch = z.infer<typeof dunningSettingsSchema>;

/** Merge a partial change into organisations.settings.dunning; returns the settings in force. */
export async function updateDunningSettings(
  db: Kysely<Database>,
  orgId: string,
  patch: DunningSettingsPatch,
): Promise<OrgDunningSettings> {
  const org = await getOrganisation(db, orgId);
  if (!org) throw notFound('Organisation', orgId);
  const current = ((org.settings as { dunning?: Record<string, unknown> } | null)?.dunning ?? {}) as Record<
    string,
    unknown
  >;
  const merged = { ...current, ...patch };
  const parsed = dunningSettingsSchema.safeParse(merged);
  if (!parsed.success)
    throw new AppError(
      'VALIDATION',
      'invalid dunning settings',
      parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', reason: i.message })),
    );
  const s = dunningSettingsOf({ dunning: parsed.data }, org.time_zone);
  if (s.sendWindowStartMinute >= s.sendWindowEndMinute)
    throw new AppError('VALIDATION', 'invalid dunning settings', [
      { field: 'sendWindowEndMinute', reason: 'the send window must end after it starts' },
    ]);
  await sql`
    update organisations set settings = jsonb_set(coalesce(settings, '{}'::jsonb), '{dunning}', ${JSON.stringify(parsed.data)}::jsonb)
    where id = ${orgId}
  `.execute(db);
  return s;
}
