import { isIsoDate } from '../../domain/calendar/index.js';
import { sirenProblem } from '../../domain/solvency/siren.js';
import { AppError } from '../../errors.js';
import { type CompanyIdentity, legalNameOf } from './identity.js';

/**
 * Adapter for the INSEE "API Sirene" 3.11 (portail-api.insee.fr): `GET {base}/siren/{siren}`
 * with the subscription key in the `X-INSEE-Api-Key-Integration` header, JSON answer
 * `{ header: { statut, message }, uniteLegale: { siren, dateCreationUniteLegale,
 * trancheEffectifsUniteLegale, categorieEntreprise, periodesUniteLegale: [ { dateFin: null,
 * dateDebut, etatAdministratifUniteLegale, denominationUniteLegale, nomUniteLegale,
 * categorieJuridiqueUniteLegale, activitePrincipaleUniteLegale, nicSiegeUniteLegale, … } ] } }`.
 * The first period (dateFin null) is the current one. 404 = unknown SIREN; 403 = a unit
 * whose diffusion is restricted (statutDiffusion P). Tests run it against a loopback double.
 */
export const SIRENE_API_DEFAULT_URL = 'https://api.insee.fr/api-sirene/3.11';

export interface SireneApiOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export async function fetchUniteLegale(
  siren: string,
  opts: SireneApiOptions,
): Promise<CompanyIdentity | null> {
  const problem = sirenProblem(siren);
  if (problem)
    throw new AppError('VALIDATION', `siren: ${problem}`, [
      { field: 'siren', value: siren, reason: problem },
    ]);
  const url = `${opts.baseUrl.replace(/\/$/, '')}/siren/${encodeURIComponent(siren)}`;
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, {
      headers: { accept: 'application/json', 'X-INSEE-Api-Key-Integration': opts.apiKey },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (e) {
    throw new AppError('UNPROCESSABLE', `SIRENE API unreachable: ${(e as Error).message}`);
  }
  if (res.status === 404) return null;
  if (res.status === 401 || res.status === 403) {
    const body = await res.text();
    throw new AppError(
      'UNPROCESSABLE',
      res.status === 403 && /diffusion/i.test(body)
        ? `SIREN ${siren}: the unit's data is not public (statutDiffusion P)`
        : `SIRENE API refused the key (HTTP ${res.status}): check the API key in the settings`,
      [{ field: 'sireneApiKey', reason: `HTTP ${res.status}` }],
    );
  }
  if (res.status === 429)
    throw new AppError('RATE_LIMITED', 'SIRENE API rate limit reached (30 requests a minute): retry later');
  if (!res.ok) throw new AppError('UNPROCESSABLE', `SIRENE API answered HTTP ${res.status}`);
  const data = (await res.json()) as { uniteLegale?: Record<string, unknown> };
  const ul = data.uniteLegale;
  if (!ul) throw new AppError('UNPROCESSABLE', 'SIRENE API answer without uniteLegale');
  const periods = (ul.periodesUniteLegale as Record<string, unknown>[] | undefined) ?? [];
  const current = periods.find((p) => p.dateFin === null || p.dateFin === undefined) ?? periods[0] ?? {};
  const get = (field: string): string | null => {
    const v = field in current ? current[field] : ul[field];
    return v === null || v === undefined || v === '' ? null : String(v);
  };
  const etat = get('etatAdministratifUniteLegale');
  const date = (v: string | null) => (v && isIsoDate(v.slice(0, 10)) ? v.slice(0, 10) : null);
  const nic = get('nicSiegeUniteLegale');
  return {
    siren,
    legalName: legalNameOf(get),
    status: etat === 'C' ? 'C' : 'A',
    statusSince: date(get('dateDebut')),
    creationDate: date(get('dateCreationUniteLegale')),
    legalForm: get('categorieJuridiqueUniteLegale'),
    nafCode: get('activitePrincipaleUniteLegale'),
    headcountBand: get('trancheEffectifsUniteLegale'),
    companyCategory: get('categorieEntreprise'),
    headOfficeSiret: nic ? `${siren}${nic}` : null,
    address: null,
    sourceUpdatedAt: get('dateDernierTraitementUniteLegale'),
  };
}
