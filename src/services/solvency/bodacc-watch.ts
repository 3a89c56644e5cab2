import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { listOrganisations } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { addDays } from '../../domain/calendar/index.js';
import { type BodaccImportResult, refreshBodaccOnline } from './import-bodacc.js';

/** Settings that opt an organisation in to the nightly BODACC watch (it needs the network). */
export function bodaccWatchSettings(settings: Record<string, unknown>): { baseUrl?: string } | null {
  const s = (settings.solvency ?? {}) as { bodaccWatch?: unknown; bodaccApiUrl?: unknown };
  if (s.bodaccWatch !== true) return null;
  return typeof s.bodaccApiUrl === 'string' && s.bodaccApiUrl !== '' ? { baseUrl: s.bodaccApiUrl } : {};
}

/**
 * The nightly watch: for each organisation that opted in, fetch the notices published since
 * the last one it holds (a week back the first time; the day itself again, since a day's
 * notices may arrive in several batches, and re-imports are no-ops) and apply them.
 * One organisation's failure does not stop the others; it is returned.
 */
export async function runBodaccWatch(
  db: Kysely<Database>,
  now: Date,
  opts: { fetch?: typeof fetch } = {},
): Promise<{ orgId: string; result?: BodaccImportResult; error?: string }[]> {
  const out: { orgId: string; result?: BodaccImportResult; error?: string }[] = [];
  for (const org of await listOrganisations(db)) {
    const watch = bodaccWatchSettings(org.settings as Record<string, unknown>);
    if (!watch) continue;
    const last = await withOrg(db, org.id, (trx) =>
      trx
        .selectFrom('insolvency_judgments')
        .select((eb) => eb.fn.max('publication_date').as('last'))
        .where('org_id', '=', org.id)
        .executeTakeFirst(),
    );
    const since = (last?.last as string | null | undefined) ?? addDays(now.toISOString().slice(0, 10), -7);
    try {
      const result = await refreshBodaccOnline(db, org.id, since, {
        ...watch,
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
        now,
      });
      out.push({ orgId: org.id, result });
    } catch (e) {
      out.push({ orgId: org.id, error: (e as Error).message });
    }
  }
  return out;
}
