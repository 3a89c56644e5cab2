import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import type { SettingsView } from '../../domain/settings/schema.js';
import { notFound } from '../../errors.js';
import { loadRateTable } from '../law/load-rates.js';
import { penaltyRateWarnings } from './penalty-warnings.js';
import { settingsViewOf } from './settings-view.js';

export async function getSettings(db: Kysely<Database>, orgId: string, now: Date): Promise<SettingsView> {
  const org = await withOrg(db, orgId, (trx) => getOrganisation(trx, orgId));
  if (!org) throw notFound('Organisation', orgId);
  const rate = org.late_penalty_rate === null ? null : String(org.late_penalty_rate);
  const warnings = penaltyRateWarnings(
    org.jurisdiction,
    rate,
    zonedParts(now, org.time_zone).date,
    await loadRateTable(db, orgId),
  );
  return settingsViewOf(org, warnings);
}
