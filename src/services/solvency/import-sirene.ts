import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import type { CompanyIdentity } from '../../ingest/sirene/identity.js';
import { readSireneStock, type StockKind, type StockProblem } from '../../ingest/sirene/stock-file.js';
import type { SolvencyTaskSubject } from './apply-judgment.js';

export interface SireneImportResult {
  kind: StockKind;
  rows: number;
  identities: number;
  addresses: number;
  ceasedTasks: string[];
  problems: StockProblem[];
}

/** Upsert identities (one statement per batch). */
export async function saveIdentities(
  trx: Kysely<Database>,
  orgId: string,
  units: CompanyIdentity[],
  source: 'sirene_stock' | 'sirene_api',
  now: Date,
): Promise<void> {
  if (units.length === 0) return;
  await trx
    .insertInto('company_identities')
    .values(
      units.map((u) => ({
        org_id: orgId,
        siren: u.siren,
        legal_name: u.legalName,
        status: u.status,
        status_since: u.statusSince,
        creation_date: u.creationDate,
        legal_form: u.legalForm,
        naf_code: u.nafCode,
        headcount_band: u.headcountBand,
        company_category: u.companyCategory,
        head_office_siret: u.headOfficeSiret,
        address: u.address,
        source,
        source_updated_at: u.sourceUpdatedAt,
        fetched_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['org_id', 'siren']).doUpdateSet((eb) => ({
        legal_name: eb.ref('excluded.legal_name'),
        status: eb.ref('excluded.status'),
        status_since: eb.ref('excluded.status_since'),
        creation_date: eb.ref('excluded.creation_date'),
        legal_form: eb.ref('excluded.legal_form'),
        naf_code: eb.ref('excluded.naf_code'),
        headcount_band: eb.ref('excluded.headcount_band'),
        company_category: eb.ref('excluded.company_category'),
        head_office_siret: eb.ref('excluded.head_office_siret'),
        source: eb.ref('excluded.source'),
        source_updated_at: eb.ref('excluded.source_updated_at'),
        fetched_at: eb.ref('excluded.fetched_at'),
      })),
    )
    .execute();
}

/**
 * A customer whose company is ceased (état administratif C) gets one open task, and the
 * fact goes on its timeline. Idempotent: an open "company_ceased" task is not duplicated.
 */
export async function raiseCeasedCompanyTasks(
  trx: Kysely<Database>,
  orgId: string,
  sirens: readonly string[],
  now: Date,
): Promise<string[]> {
  if (sirens.length === 0) return [];
  const ceased = await trx
    .selectFrom('customers as c')
    .innerJoin('company_identities as ci', (j) =>
      j.onRef('ci.org_id', '=', 'c.org_id').onRef('ci.siren', '=', 'c.siren'),
    )
    .select(['c.id', 'c.name', 'ci.siren', 'ci.status_since', 'ci.legal_name'])
    .where('c.org_id', '=', orgId)
    .where('ci.status', '=', 'C')
    .where('ci.siren', 'in', [...sirens])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('tasks as t')
            .select('t.id')
            .whereRef('t.org_id', '=', 'c.org_id')
            .whereRef('t.customer_id', '=', 'c.id')
            .where('t.status', '=', 'open')
            .where('t.kind', '=', 'follow_up')
            .where((eb) => eb(eb.ref('t.detail', '->>').key('subject' as never), '=', 'company_ceased')),
        ),
      ),
    )
    .execute();
  const ids: string[] = [];
  const today = now.toISOString().slice(0, 10);
  for (const c of ceased) {
    const since = c.status_since ? ` depuis le ${c.status_since.split('-').reverse().join('/')}` : '';
    const task = await trx
      .insertInto('tasks')
      .values({
        org_id: orgId,
        customer_id: c.id,
        invoice_id: null,
        kind: 'follow_up',
        title: `Entreprise cessée${since} (SIRENE) : vérifier les créances et bloquer le crédit`,
        detail: JSON.stringify({
          subject: 'company_ceased' satisfies SolvencyTaskSubject,
          siren: c.siren,
          since: c.status_since,
        }),
        due_date: today,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(task.id);
    await appendEvidenceEntry(trx, orgId, {
      customerId: c.id,
      kind: 'task_created',
      channel: null,
      summary: `Entreprise cessée au répertoire SIRENE${since}`,
      payload: { taskId: task.id, siren: c.siren, since: c.status_since, source: 'sirene' },
      contentSha256: null,
      at: now,
    });
  }
  return ids;
}

/**
 * Import an INSEE stock file (StockUniteLegale or StockEtablissement, detected from the
 * header). Only the organisation's customers' SIRENs are kept unless `all` is set: the
 * national file lists some 30 million units. Establishments give the head office address.
 */
export async function importSireneStock(
  db: Kysely<Database>,
  orgId: string,
  path: string,
  opts: { all?: boolean; now?: Date } = {},
): Promise<SireneImportResult> {
  const now = opts.now ?? new Date();
  const customerSirens = await withOrg(db, orgId, (trx) =>
    trx
      .selectFrom('customers')
      .select('siren')
      .where('org_id', '=', orgId)
      .where('siren', 'is not', null)
      .execute(),
  );
  const only = opts.all ? undefined : new Set(customerSirens.map((c) => c.siren as string));
  let identities = 0;
  let addresses = 0;
  const seen = new Set<string>();
  const read = await readSireneStock(path, {
    ...(only ? { only } : {}),
    onUnits: async (units) => {
      await withOrg(db, orgId, (trx) => saveIdentities(trx, orgId, units, 'sirene_stock', now));
      identities += units.length;
      for (const u of units) seen.add(u.siren);
    },
    onEstablishments: async (rows) => {
      const heads = rows.filter((r) => r.headOffice && r.address);
      await withOrg(db, orgId, async (trx) => {
        for (const h of heads) {
          const r = await trx
            .updateTable('company_identities')
            .set({ address: h.address, head_office_siret: h.siret })
            .where('org_id', '=', orgId)
            .where('siren', '=', h.siren)
            .executeTakeFirst();
          addresses += Number(r.numUpdatedRows);
        }
      });
    },
  });
  const ceasedTasks = await withOrg(db, orgId, (trx) => raiseCeasedCompanyTasks(trx, orgId, [...seen], now));
  return { kind: read.kind, rows: read.rows, identities, addresses, ceasedTasks, problems: read.problems };
}
