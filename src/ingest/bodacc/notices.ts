import { parse as parseCsv } from 'csv-parse/sync';
import { isIsoDate } from '../../domain/calendar/index.js';
import { classifyJudgment, extractMandataire, type JudgmentKind } from '../../domain/solvency/judgments.js';
import { normaliseCompanyNumber, sirenProblem } from '../../domain/solvency/siren.js';
import { AppError } from '../../errors.js';

/**
 * BODACC "procédures collectives" notices, read from either:
 *  - the DILA open-data export of the dataset `annonces-commerciales`
 *    (bodacc-datadila.opendatasoft.com, "Export" as JSON — an array of records — or CSV
 *    with `;`): fields `dateparution`, `numeroannonce`, `tribunal`, `commercant`,
 *    `registre`, `cp`, `ville`, `familleavis_lib`, `typeavis_lib`, and `jugement` (a JSON
 *    string: type, famille, nature, date, complementJugement);
 *  - the re-export kept in ../shared/data/bodacc (PROVENANCE.md): `{records:[…]}` with the
 *    fields renamed `date_parution`, `numero_annonce`, `nom_entreprise`, `code_postal`,
 *    `famille`, `type_annonce`, and the jugement JSON in `contenu`.
 * Each problem names the record and the field; a notice without SIREN is reported, not lost.
 */
export interface BodaccNotice {
  record: number;
  siren: string;
  publicationDate: string;
  announcementNumber: string;
  tribunal: string | null;
  debtorName: string | null;
  postalCode: string | null;
  city: string | null;
  famille: string;
  nature: string;
  kind: JudgmentKind;
  judgmentDate: string;
  complement: string | null;
  mandataire: string | null;
  rectificatif: boolean;
}

export interface NoticeProblem {
  record: number;
  field: string;
  reason: string;
  value?: string;
}

export interface ParsedNotices {
  notices: BodaccNotice[];
  problems: NoticeProblem[];
  records: number;
}

const MONTHS: Record<string, number> = {
  janvier: 1,
  fevrier: 2,
  mars: 3,
  avril: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  aout: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  decembre: 12,
};

/** "2026-02-04", "04/02/2026" or the older notices' "10 décembre 2009" (1er too). */
export function parseNoticeDate(raw: string): string | null {
  const s = raw.trim();
  if (isIsoDate(s)) return s;
  const dmy = s.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
  const text = s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .match(/^(\d{1,2})(?:er)?\s+([a-z]+)\s+(\d{4})$/);
  let y: number;
  let m: number;
  let d: number;
  if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else if (text && MONTHS[text[2] as string])
    [d, m, y] = [Number(text[1]), MONTHS[text[2] as string] as number, Number(text[3])];
  else return null;
  const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

const str = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
};

function registreSirens(v: unknown): string[] {
  const parts = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/[,;|]/) : [];
  return parts.map((p) => normaliseCompanyNumber(p)).filter((p) => p !== '');
}

/** One record in either shape → a notice or the problems that keep it out. */
export function noticeFromRecord(
  rec: Record<string, unknown>,
  record: number,
): BodaccNotice | NoticeProblem[] {
  const problems: NoticeProblem[] = [];
  const bad = (field: string, reason: string, value?: unknown) =>
    problems.push({
      record,
      field,
      reason,
      ...(value !== undefined && value !== null ? { value: String(value).slice(0, 80) } : {}),
    });
  const jugementField = 'jugement' in rec ? 'jugement' : 'contenu';
  let jugement: Record<string, unknown> | null = null;
  const rawJ = rec[jugementField];
  if (typeof rawJ === 'string' && rawJ.trim() !== '') {
    try {
      jugement = JSON.parse(rawJ) as Record<string, unknown>;
    } catch {
      bad(jugementField, 'not valid JSON', rawJ);
    }
  } else if (rawJ && typeof rawJ === 'object') jugement = rawJ as Record<string, unknown>;
  else bad(jugementField, 'missing: a procédures collectives notice carries its judgment');

  const sirens = registreSirens(rec.registre);
  const siren = sirens.find((s) => s.length === 9) ?? null;
  if (!siren) bad('registre', 'no SIREN in the notice (registre empty): it cannot be matched to a customer');
  else {
    const p = sirenProblem(siren);
    if (p) bad('registre', p, siren);
  }
  const pubRaw = str(rec.dateparution ?? rec.date_parution);
  const publicationDate = pubRaw ? parseNoticeDate(pubRaw) : null;
  if (!publicationDate) bad('dateparution', pubRaw ? 'not a date' : 'missing', pubRaw);
  const number = str(rec.numeroannonce ?? rec.numero_annonce);
  if (!number) bad('numeroannonce', 'missing');
  const famille = jugement ? str(jugement.famille) : null;
  const nature = jugement ? str(jugement.nature) : null;
  if (jugement && !famille) bad('jugement.famille', 'missing');
  if (jugement && !nature) bad('jugement.nature', 'missing');
  const jRaw = jugement ? str(jugement.date) : null;
  const judgmentDate = jRaw ? parseNoticeDate(jRaw) : null;
  if (jugement && !judgmentDate) bad('jugement.date', jRaw ? 'not a date' : 'missing', jRaw);
  if (problems.length > 0) return problems;
  const complement = jugement ? str(jugement.complementJugement) : null;
  const typeAvis = str(rec.typeavis_lib ?? rec.type_annonce ?? rec.typeavis) ?? '';
  return {
    record,
    siren: siren as string,
    publicationDate: publicationDate as string,
    announcementNumber: number as string,
    tribunal: str(rec.tribunal),
    debtorName: str(rec.commercant ?? rec.nom_entreprise),
    postalCode: str(rec.cp ?? rec.code_postal),
    city: str(rec.ville),
    famille: famille as string,
    nature: nature as string,
    kind: classifyJudgment(famille as string, nature as string),
    judgmentDate: judgmentDate as string,
    complement,
    mandataire: extractMandataire(complement),
    rectificatif: /rectificatif/i.test(typeAvis),
  };
}

/** A file's text (JSON or CSV, sniffed from the first character) → notices + problems. */
export function parseBodaccFile(text: string, filename = 'file'): ParsedNotices {
  const body = text.replace(/^\uFEFF/, '');
  let records: Record<string, unknown>[];
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (e) {
      throw new AppError('VALIDATION', `${filename}: not valid JSON (${(e as Error).message})`, [
        { field: 'file', reason: 'not valid JSON' },
      ]);
    }
    const list = Array.isArray(data) ? data : (data as { records?: unknown }).records;
    if (!Array.isArray(list))
      throw new AppError('VALIDATION', `${filename}: expected an array of records or {"records": [...]}`, [
        { field: 'records', reason: 'missing' },
      ]);
    // Opendatasoft API v1 wraps each record as {fields: {...}}.
    records = list.map((r) => ((r as { fields?: unknown }).fields ?? r) as Record<string, unknown>);
  } else {
    const header = body.slice(0, body.indexOf('\n') >>> 0);
    const delimiter = header.split(';').length >= header.split(',').length ? ';' : ',';
    try {
      records = parseCsv(body, { columns: true, delimiter, skip_empty_lines: true, bom: true }) as Record<
        string,
        unknown
      >[];
    } catch (e) {
      throw new AppError('VALIDATION', `${filename}: not a readable CSV (${(e as Error).message})`, [
        { field: 'file', reason: 'CSV error' },
      ]);
    }
  }
  const notices: BodaccNotice[] = [];
  const problems: NoticeProblem[] = [];
  records.forEach((r, i) => {
    const n = noticeFromRecord(r, i + 1);
    if (Array.isArray(n)) problems.push(...n);
    else notices.push(n);
  });
  return { notices, problems, records: records.length };
}
