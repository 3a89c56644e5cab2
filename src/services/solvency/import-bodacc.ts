import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { customersWithSiren } from '../../db/queries/solvency.js';
import type { Database } from '../../db/schema/index.js';
import type { JudgmentKind } from '../../domain/solvency/judgments.js';
import { type BodaccNotice, type NoticeProblem, parseBodaccFile } from '../../ingest/bodacc/notices.js';
import { fetchBodaccSince } from '../../ingest/bodacc/online-feed.js';
import { type AppliedJudgment, applyJudgment } from './apply-judgment.js';

export interface BodaccImportResult {
  records: number;
  notices: number;
  /** Notices new to the organisation (a re-import of the same file adds none). */
  inserted: number;
  /** Notices whose SIREN is one of the organisation's customers. */
  matched: number;
  applied: AppliedJudgment[];
  byKind: Partial<Record<JudgmentKind, number>>;
  problems: NoticeProblem[];
}

/**
 * Import BODACC notices (file text, JSON or CSV, DILA or re-export shape), keep every valid
 * notice (so a customer created later is still checked against it), and apply each one
 * matched by SIREN to its customer(s), in publication order so an opening is seen before
 * its conversion or closure. Idempotent on (publication date, announcement number).
 */
export async function importBodacc(
  db: Kysely<Database>,
  orgId: string,
  text: string,
  opts: { filename?: string; now?: Date } = {},
): Promise<BodaccImportResult> {
  const parsed = parseBodaccFile(text, opts.filename);
  return importBodaccNotices(
    db,
    orgId,
    parsed.notices,
    parsed.problems,
    parsed.records,
    opts.now ?? new Date(),
  );
}

export async function importBodaccNotices(
  db: Kysely<Database>,
  orgId: string,
  notices: BodaccNotice[],
  problems: NoticeProblem[],
  records: number,
  now: Date,
): Promise<BodaccImportResult> {
  const byKind: Partial<Record<JudgmentKind, number>> = {};
  for (const n of notices) byKind[n.kind] = (byKind[n.kind] ?? 0) + 1;
  return withOrg(db, orgId, async (trx) => {
    let inserted = 0;
    const CHUNK = 200;
    for (let i = 0; i < notices.length; i += CHUNK) {
      const rows = notices.slice(i, i + CHUNK).map((n) => ({
        org_id: orgId,
        siren: n.siren,
        kind: n.kind,
        famille: n.famille,
        nature: n.nature,
        judgment_date: n.judgmentDate,
        publication_date: n.publicationDate,
        announcement_number: n.announcementNumber,
        tribunal: n.tribunal,
        debtor_name: n.debtorName,
        debtor_postal_code: n.postalCode,
        mandataire: n.mandataire,
        complement: n.complement,
      }));
      const r = await trx
        .insertInto('insolvency_judgments')
        .values(rows)
        .onConflict((oc) => oc.columns(['org_id', 'publication_date', 'announcement_number']).doNothing())
        .returning('id')
        .execute();
      inserted += r.length;
    }
    const customers = await customersWithSiren(trx, orgId, [...new Set(notices.map((n) => n.siren))]);
    const bySiren = new Map<string, string[]>();
    for (const c of customers)
      bySiren.set(c.siren as string, [...(bySiren.get(c.siren as string) ?? []), c.id]);
    // Every not-yet-applied notice of a customer's SIREN, this file's and earlier ones.
    const pending =
      bySiren.size === 0
        ? []
        : await trx
            .selectFrom('insolvency_judgments')
            .select(['id', 'siren'])
            .where('org_id', '=', orgId)
            .where('applied_at', 'is', null)
            .where('siren', 'in', [...bySiren.keys()])
            .orderBy('publication_date')
            .orderBy('judgment_date')
            .orderBy('announcement_number')
            .execute();
    const applied: AppliedJudgment[] = [];
    for (const p of pending)
      for (const customerId of bySiren.get(p.siren) ?? [])
        applied.push(await applyJudgment(trx, orgId, p.id, customerId, now));
    const matched = notices.filter((n) => bySiren.has(n.siren)).length;
    return { records, notices: notices.length, inserted, matched, applied, byKind, problems };
  });
}

/**
 * The online refresh: notices published since `since` from the DILA API, applied like a
 * file import (the nightly job and `relance bodacc import --since` call it).
 */
export async function refreshBodaccOnline(
  db: Kysely<Database>,
  orgId: string,
  since: string,
  opts: { baseUrl?: string; fetch?: typeof fetch; now?: Date } = {},
): Promise<BodaccImportResult> {
  const r = await fetchBodaccSince(since, {
    ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  return importBodaccNotices(db, orgId, r.notices, r.problems, r.records, opts.now ?? new Date());
}
