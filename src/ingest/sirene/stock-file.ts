import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { isIsoDate } from '../../domain/calendar/index.js';
import { sirenProblem, siretProblem } from '../../domain/solvency/siren.js';
import { AppError } from '../../errors.js';
import { type CompanyIdentity, legalNameOf } from './identity.js';

/**
 * INSEE SIRENE open-data stock files (data.gouv.fr "Base Sirene des entreprises et de leurs
 * établissements", files StockUniteLegale_utf8.csv and StockEtablissement_utf8.csv):
 * comma-separated, UTF-8, one header line. Columns are found by header name, case-blind
 * (the December 2018 files had an all-lowercase header, current ones add columns), so the
 * 2019 layouts in ../shared/data/sirene and today's files read the same. The files weigh
 * gigabytes: they are streamed, never loaded whole.
 */
export interface StockProblem {
  line: number;
  field: string;
  reason: string;
  value?: string;
}

export interface StockEstablishment {
  siren: string;
  siret: string;
  headOffice: boolean;
  address: string | null;
  status: 'A' | 'F';
}

export type StockKind = 'unites_legales' | 'etablissements';

export interface StockReadResult {
  kind: StockKind;
  rows: number;
  problems: StockProblem[];
}

const dateField = (v: string | null): string | null => {
  if (!v) return null;
  const d = v.slice(0, 10);
  return isIsoDate(d) ? d : null;
};

/**
 * Stream a stock file, calling `onBatch` with up to `batchSize` parsed rows at a time.
 * A row with a different number of fields than the header is an error naming its line (the
 * file is cut or its header lacks a column): nothing after it could be trusted.
 */
export async function readSireneStock(
  path: string,
  handlers: {
    onUnits?: (units: CompanyIdentity[]) => Promise<void>;
    onEstablishments?: (rows: StockEstablishment[]) => Promise<void>;
    /** Only these SIRENs are kept (the organisation's customers), when given. */
    only?: ReadonlySet<string>;
  },
  batchSize = 1000,
): Promise<StockReadResult> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, info: true }),
  );
  let header: string[] | null = null;
  let index = new Map<string, number>();
  let kind: StockKind = 'unites_legales';
  let rows = 0;
  const problems: StockProblem[] = [];
  let units: CompanyIdentity[] = [];
  let establishments: StockEstablishment[] = [];
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = rec.record;
      const line = rec.info.lines;
      if (!header) {
        header = cells.map((h) => h.trim());
        index = new Map(header.map((h, i) => [h.toLowerCase(), i]));
        kind = index.has('siret') ? 'etablissements' : 'unites_legales';
        for (const needed of kind === 'etablissements'
          ? ['siren', 'nic', 'siret']
          : ['siren', 'etatadministratifunitelegale'])
          if (!index.has(needed))
            throw new AppError('VALIDATION', `line 1: the header lacks the column "${needed}"`, [
              { field: needed, reason: 'missing column', value: 'line 1' },
            ]);
        continue;
      }
      if (cells.length !== header.length)
        throw new AppError(
          'VALIDATION',
          `line ${line}: ${cells.length} fields but the header has ${header.length} (a column is missing from the header or the row is cut)`,
          [{ field: 'line', value: String(line), reason: 'field count differs from the header' }],
        );
      rows++;
      const get = (field: string): string | null => {
        const i = index.get(field.toLowerCase());
        const v = i === undefined ? undefined : cells[i]?.trim();
        return v ? v : null;
      };
      const siren = get('siren') ?? '';
      if (handlers.only && !handlers.only.has(siren)) continue;
      const sp = sirenProblem(siren);
      if (sp) {
        problems.push({ line, field: 'siren', reason: sp, value: siren });
        continue;
      }
      if (kind === 'unites_legales') {
        const dateDebut = get('dateDebut');
        const statusSince = dateField(dateDebut);
        if (dateDebut && !statusSince)
          problems.push({ line, field: 'dateDebut', reason: 'not a date: left empty', value: dateDebut });
        const created = get('dateCreationUniteLegale');
        const creationDate = dateField(created);
        if (created && !creationDate)
          problems.push({
            line,
            field: 'dateCreationUniteLegale',
            reason: 'not a date: left empty',
            value: created,
          });
        const etat = get('etatAdministratifUniteLegale');
        if (etat !== 'A' && etat !== 'C') {
          problems.push({
            line,
            field: 'etatAdministratifUniteLegale',
            reason: 'expected A or C',
            value: etat ?? '',
          });
          continue;
        }
        const nic = get('nicSiegeUniteLegale');
        units.push({
          siren,
          legalName: legalNameOf(get),
          status: etat,
          statusSince,
          creationDate,
          legalForm: get('categorieJuridiqueUniteLegale'),
          nafCode: get('activitePrincipaleUniteLegale'),
          headcountBand: get('trancheEffectifsUniteLegale'),
          companyCategory: get('categorieEntreprise'),
          headOfficeSiret: nic ? `${siren}${nic}` : null,
          address: null,
          sourceUpdatedAt: get('dateDernierTraitementUniteLegale'),
        });
        if (units.length >= batchSize) {
          await handlers.onUnits?.(units);
          units = [];
        }
      } else {
        const siret = get('siret') ?? '';
        const tp = siretProblem(siret);
        if (tp) {
          problems.push({ line, field: 'siret', reason: tp, value: siret });
          continue;
        }
        const street = [
          get('numeroVoieEtablissement'),
          get('indiceRepetitionEtablissement'),
          get('typeVoieEtablissement'),
          get('libelleVoieEtablissement'),
        ]
          .filter(Boolean)
          .join(' ');
        const town = [get('codePostalEtablissement'), get('libelleCommuneEtablissement')]
          .filter(Boolean)
          .join(' ');
        const address = [get('complementAdresseEtablissement'), street, town]
          .filter((x) => x && x !== '')
          .join(', ');
        establishments.push({
          siren,
          siret,
          headOffice: get('etablissementSiege') === 'true',
          address: address === '' ? null : address,
          status: get('etatAdministratifEtablissement') === 'F' ? 'F' : 'A',
        });
        if (establishments.length >= batchSize) {
          await handlers.onEstablishments?.(establishments);
          establishments = [];
        }
      }
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('VALIDATION', `not a readable SIRENE stock file: ${(e as Error).message}`, [
      { field: 'file', reason: (e as Error).message },
    ]);
  }
  if (!header) throw new AppError('VALIDATION', 'the file is empty', [{ field: 'file', reason: 'empty' }]);
  if (units.length > 0) await handlers.onUnits?.(units);
  if (establishments.length > 0) await handlers.onEstablishments?.(establishments);
  return { kind, rows, problems };
}
