import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import { type CreditSuggestion, suggestCredit } from '../../domain/solvency/credit.js';
import { JUDGMENT_LABEL_FR, type JudgmentKind } from '../../domain/solvency/judgments.js';
import { normaliseCompanyNumber, sirenProblem } from '../../domain/solvency/siren.js';
import { AppError, notFound } from '../../errors.js';
import { fetchUniteLegale, SIRENE_API_DEFAULT_URL } from '../../ingest/sirene/api-client.js';
import { HEADCOUNT_BANDS } from '../../ingest/sirene/identity.js';
import { paymentHistory, proceedingFacts } from './credit-position.js';
import { saveIdentities } from './import-sirene.js';

export interface CreditCheckResult {
  siren: string;
  identity: {
    legalName: string | null;
    status: 'A' | 'C';
    statusLabel: string;
    statusSince: string | null;
    creationDate: string | null;
    legalForm: string | null;
    nafCode: string | null;
    headcountBand: string | null;
    headcountLabel: string | null;
    companyCategory: string | null;
    address: string | null;
    source: string;
    fetchedAt: string;
  } | null;
  identitySource: 'stored' | 'sirene_api' | 'none';
  proceedings: {
    kind: string;
    label: string;
    judgmentDate: string;
    publicationDate: string;
    tribunal: string | null;
    mandataire: string | null;
  }[];
  openProceeding: { label: string; judgmentDate: string } | null;
  history: {
    customers: { id: string; name: string }[];
    invoicesPaid: number;
    averageDaysLate: number | null;
    overdueMinor: number;
  } | null;
  suggestion: CreditSuggestion;
}

/** SIRENE API settings from the organisation's settings (`solvency.sireneApiKey`, optional URL). */
export function sireneApiSettings(
  settings: Record<string, unknown>,
): { baseUrl: string; apiKey: string } | null {
  const s = (settings.solvency ?? {}) as { sireneApiKey?: unknown; sireneApiUrl?: unknown };
  if (typeof s.sireneApiKey !== 'string' || s.sireneApiKey === '') return null;
  return {
    apiKey: s.sireneApiKey,
    baseUrl:
      typeof s.sireneApiUrl === 'string' && s.sireneApiUrl !== '' ? s.sireneApiUrl : SIRENE_API_DEFAULT_URL,
  };
}

/**
 * The new-customer check (`relance credit check --siren`, GET /api/v1/credit-check):
 * identity (stored from the stock file, else fetched from the SIRENE API when a key is set,
 * and stored), proceedings from the imported BODACC notices, the history at this
 * organisation, and the suggested limit and terms, each reason given.
 */
export async function creditCheck(
  db: Kysely<Database>,
  orgId: string,
  rawSiren: string,
  opts: { now?: Date; fetch?: typeof fetch; refresh?: boolean } = {},
): Promise<CreditCheckResult> {
  const now = opts.now ?? new Date();
  const siren = normaliseCompanyNumber(rawSiren);
  const problem = sirenProblem(siren);
  if (problem)
    throw new AppError('VALIDATION', `siren: ${problem}`, [
      { field: 'siren', value: rawSiren, reason: problem },
    ]);
  const org = await withOrg(db, orgId, (trx) => getOrganisation(trx, orgId));
  if (!org) throw notFound('Organisation', orgId);
  const today = zonedParts(now, org.time_zone).date;
  let source: CreditCheckResult['identitySource'] = 'stored';
  let stored = await withOrg(db, orgId, (trx) =>
    trx
      .selectFrom('company_identities')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('siren', '=', siren)
      .executeTakeFirst(),
  );
  const api = sireneApiSettings(org.settings as Record<string, unknown>);
  if ((!stored || opts.refresh) && api) {
    const fetched = await fetchUniteLegale(siren, { ...api, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
    if (fetched) {
      await withOrg(db, orgId, (trx) => saveIdentities(trx, orgId, [fetched], 'sirene_api', now));
      stored = await withOrg(db, orgId, (trx) =>
        trx
          .selectFrom('company_identities')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('siren', '=', siren)
          .executeTakeFirst(),
      );
      source = 'sirene_api';
    }
  }
  if (!stored) source = 'none';
  return withOrg(db, orgId, async (trx) => {
    const facts = await proceedingFacts(trx, orgId, siren);
    const history = await paymentHistory(trx, orgId, siren, today);
    const customers = await trx
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('org_id', '=', orgId)
      .where('siren', '=', siren)
      .orderBy('name')
      .execute();
    const suggestion = suggestCredit({
      today,
      identity: stored
        ? {
            status: stored.status,
            creationDate: stored.creation_date,
            headcountBand: stored.headcount_band,
            companyCategory: stored.company_category,
          }
        : null,
      openProceeding: facts.openProceeding,
      inPlan: facts.inPlan,
      history,
    });
    return {
      siren,
      identity: stored
        ? {
            legalName: stored.legal_name,
            status: stored.status,
            statusLabel: stored.status === 'A' ? 'active' : 'cessée',
            statusSince: stored.status_since,
            creationDate: stored.creation_date,
            legalForm: stored.legal_form,
            nafCode: stored.naf_code,
            headcountBand: stored.headcount_band,
            headcountLabel: stored.headcount_band
              ? (HEADCOUNT_BANDS[stored.headcount_band]?.label ?? null)
              : null,
            companyCategory: stored.company_category,
            address: stored.address,
            source: stored.source,
            fetchedAt: new Date(stored.fetched_at).toISOString(),
          }
        : null,
      identitySource: source,
      proceedings: facts.judgments.map((j) => ({
        kind: j.kind,
        label: JUDGMENT_LABEL_FR[j.kind as JudgmentKind] ?? j.nature,
        judgmentDate: j.judgment_date,
        publicationDate: j.publication_date,
        tribunal: j.tribunal,
        mandataire: j.mandataire,
      })),
      openProceeding: facts.openProceeding,
      history: history ? { customers, ...history } : null,
      suggestion,
    };
  });
}
