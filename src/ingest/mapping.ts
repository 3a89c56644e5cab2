import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ImportEntity } from '../db/schema/imports.js';
import { AppError } from '../errors.js';

/**
 * Canonical import fields per entity and the headers they are recognised by, French and
 * English, compared after `normaliseHeader` (case, accents, spaces and punctuation ignored).
 * Within a field, earlier synonyms are more specific: when two headers of one file claim
 * the same field, the more specific wins and the other is ignored (e.g. "Code client"
 * over "Client").
 */
const customerRef = [
  'code client',
  'ref client',
  'reference client',
  'customer ref',
  'customer reference',
  'customer code',
  'customer id',
  'n° client',
  'numero client',
  'numero de client',
  'compte client',
  'external ref',
  'client',
];
const currency = ['devise', 'currency', 'monnaie', 'code devise'];
const net = ['montant ht', 'total ht', 'ht', 'net', 'net amount', 'amount excl tax', 'montant hors taxes'];
const tax = ['montant tva', 'total tva', 'tva', 'tax', 'vat', 'tax amount', 'vat amount', 'taxes'];
const gross = [
  'montant ttc',
  'total ttc',
  'ttc',
  'gross',
  'gross amount',
  'amount incl tax',
  'total',
  'montant',
  'amount',
];

export const FIELDS: Record<ImportEntity, Record<string, string[]>> = {
  customers: {
    externalRef: customerRef.filter((s) => s !== 'client'),
    name: [
      'raison sociale',
      'nom',
      'name',
      'customer name',
      'nom client',
      'client',
      'societe',
      'company',
      'denomination',
    ],
    kind: ['type client', 'type', 'kind', 'categorie'],
    siren: ['siren', 'n° siren', 'numero siren'],
    siret: ['siret', 'n° siret', 'numero siret'],
    vatNumber: [
      'numero de tva',
      'n° tva',
      'tva intracommunautaire',
      'tva intra',
      'vat number',
      'vat no',
      'vat id',
    ],
    address1: ['adresse', 'adresse 1', 'adresse ligne 1', 'address', 'address 1', 'address line 1', 'rue'],
    address2: ['adresse 2', 'adresse ligne 2', 'complement d adresse', 'address 2', 'address line 2'],
    postalCode: ['code postal', 'cp', 'postal code', 'postcode', 'zip', 'zip code'],
    city: ['ville', 'city', 'commune', 'localite'],
    country: ['pays', 'code pays', 'country', 'country code'],
    segment: ['segment', 'segmentation'],
    creditLimit: ['limite de credit', 'encours autorise', 'plafond', 'credit limit'],
    currency,
    language: ['langue', 'language', 'lang'],
    email: ['email', 'e-mail', 'mail', 'courriel', 'adresse email', 'adresse e-mail'],
    phone: ['telephone', 'tel', 'phone', 'mobile', 'portable'],
    contactName: ['nom du contact', 'contact', 'contact name', 'interlocuteur'],
    assignedCollector: ['gestionnaire', 'charge de recouvrement', 'assigned collector', 'collector'],
    paymentTermsDays: [
      'delai de paiement (jours)',
      'delai de paiement',
      'conditions de paiement (jours)',
      'payment terms days',
      'payment terms',
    ],
  },
  invoices: {
    invoiceNumber: [
      'n° facture',
      'numero de facture',
      'numero facture',
      'num facture',
      'ref facture',
      'invoice number',
      'invoice no',
      'facture',
      'invoice',
      'n° piece',
      'piece',
    ],
    customerRef,
    customerName: ['raison sociale', 'nom client', 'nom du client', 'customer name', 'customer'],
    externalId: ['id externe', 'identifiant externe', 'external id', 'id'],
    issueDate: [
      'date facture',
      'date de facture',
      'date de la facture',
      'date d emission',
      'date emission',
      'invoice date',
      'issue date',
      'date',
    ],
    dueDate: ['date d echeance', 'date echeance', 'echeance', 'due date', 'due'],
    performanceDate: [
      'date de livraison',
      'date de prestation',
      'delivery date',
      'performance date',
      'service date',
    ],
    currency,
    net,
    tax,
    gross: [...gross, 'invoice amount', 'montant facture', 'montant de la facture'],
    paidAmount: [
      'montant regle',
      'deja regle',
      'montant paye',
      'amount paid',
      'paid amount',
      'paid',
      'regle',
    ],
    paymentTerms: ['conditions de paiement', 'conditions de reglement', 'payment terms'],
    poReference: [
      'bon de commande',
      'n° commande',
      'reference commande',
      'po number',
      'purchase order',
      'po',
    ],
    description: ['libelle', 'description', 'objet', 'designation'],
    disputed: ['en litige', 'litige', 'conteste', 'disputed', 'in dispute', 'dispute'],
    settledDate: [
      'date de reglement',
      'date reglement',
      'date de paiement',
      'date paiement',
      'regle le',
      'paye le',
      'settled date',
      'settlement date',
      'date settled',
      'paid date',
      'paid on',
    ],
  },
  payments: {
    paymentReference: [
      'reference paiement',
      'reference du paiement',
      'reference du reglement',
      'reference reglement',
      'payment reference',
      'payment ref',
      'n° paiement',
      'numero de paiement',
      'payment id',
      'reference',
      'ref',
    ],
    customerRef,
    receivedOn: [
      'date de paiement',
      'date paiement',
      'date de reglement',
      'date reglement',
      'date de reception',
      'payment date',
      'received on',
      'date valeur',
      'date',
    ],
    amount: [
      'montant',
      'montant regle',
      'montant paye',
      'montant du reglement',
      'amount',
      'paid amount',
      'montant ttc',
    ],
    currency,
    method: ['mode de paiement', 'mode de reglement', 'moyen de paiement', 'payment method', 'method'],
    invoiceNumbers: [
      'factures',
      'factures reglees',
      'n° facture',
      'numero de facture',
      'facture',
      'invoice numbers',
      'invoice number',
      'invoices',
      'invoice',
    ],
    bankReference: ['reference bancaire', 'ref bancaire', 'bank reference', 'libelle bancaire', 'libelle'],
  },
  'credit-notes': {
    creditNoteNumber: [
      'n° avoir',
      'numero d avoir',
      'numero avoir',
      'credit note number',
      'credit note',
      'avoir',
    ],
    customerRef,
    invoiceNumber: [
      'facture d origine',
      'n° facture',
      'numero de facture',
      'facture',
      'invoice number',
      'invoice',
    ],
    issueDate: ['date avoir', 'date d avoir', 'date d emission', 'issue date', 'date'],
    currency,
    net,
    tax,
    gross,
    reason: ['motif', 'raison', 'reason', 'commentaire', 'libelle'],
  },
};

/** Each inner list is one requirement satisfied by any of its fields. */
export const REQUIRED: Record<ImportEntity, string[][]> = {
  customers: [['externalRef'], ['name']],
  invoices: [['invoiceNumber'], ['customerRef'], ['issueDate'], ['dueDate'], ['gross', 'net']],
  payments: [['paymentReference'], ['customerRef'], ['receivedOn'], ['amount']],
  'credit-notes': [['creditNoteNumber'], ['customerRef'], ['issueDate'], ['gross', 'net']],
};

/** "N° de la Facture" → "nodelafacture": case, accents, spaces and punctuation ignored. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/n[°º]/g, 'no')
    .replace(/[^a-z0-9]/g, '');
}

const IGNORE = new Set(['', 'ignore', '-']);

export interface ColumnPlan {
  /** Source header → canonical field, for the recognised columns. */
  columns: Record<string, string>;
  /** Canonical field → source header. */
  byField: Record<string, string>;
  /** Headers not imported. */
  ignored: string[];
}

interface Index {
  field: string;
  rank: number;
}

const indexes = new Map<ImportEntity, Map<string, Index>>();
function synonymIndex(entity: ImportEntity): Map<string, Index> {
  let idx = indexes.get(entity);
  if (idx) return idx;
  idx = new Map();
  for (const [field, synonyms] of Object.entries(FIELDS[entity])) {
    const all = [field, ...synonyms];
    all.forEach((s, rank) => {
      const key = normaliseHeader(s);
      const prev = idx?.get(key);
      if (!prev || rank < prev.rank) idx?.set(key, { field, rank });
    });
  }
  indexes.set(entity, idx);
  return idx;
}

/**
 * Decide which column feeds which field. A user mapping (source header → field) wins over
 * the synonyms. Every missing required field is reported at once, before any row is read.
 */
export function planColumns(
  entity: ImportEntity,
  headers: string[],
  userMapping: Record<string, string> = {},
): ColumnPlan {
  const known = FIELDS[entity];
  const problems: { column?: string; field?: string; reason: string }[] = [];
  const userByNorm = new Map<string, string>();
  for (const [source, field] of Object.entries(userMapping)) {
    if (!IGNORE.has(field) && !(field in known)) {
      problems.push({
        column: source,
        field,
        reason: `unknown field "${field}" for ${entity}; expected one of ${Object.keys(known).join(', ')}`,
      });
    }
    userByNorm.set(normaliseHeader(source), field);
  }
  const index = synonymIndex(entity);
  const claimed = new Map<string, { header: string; rank: number }>();
  const ignored: string[] = [];
  const seen = new Set<string>();
  for (const header of headers) {
    if (seen.has(header)) {
      problems.push({ column: header, reason: 'the header appears twice in the file' });
      continue;
    }
    seen.add(header);
    const user = userMapping[header] ?? userByNorm.get(normaliseHeader(header));
    let field: string | undefined;
    let rank: number;
    if (user !== undefined) {
      if (IGNORE.has(user)) {
        ignored.push(header);
        continue;
      }
      field = user;
      rank = -1;
    } else {
      const hit = index.get(normaliseHeader(header));
      field = hit?.field;
      rank = hit?.rank ?? 0;
    }
    if (!field || !(field in known)) {
      ignored.push(header);
      continue;
    }
    const prev = claimed.get(field);
    if (prev && prev.rank === -1 && rank === -1) {
      problems.push({ column: header, field, reason: `field ${field} is mapped from two columns` });
    } else if (!prev || rank < prev.rank) {
      if (prev) ignored.push(prev.header);
      claimed.set(field, { header, rank });
    } else ignored.push(header);
  }
  for (const group of REQUIRED[entity]) {
    if (!group.some((f) => claimed.has(f))) {
      const examples = (known[group[0] as string] ?? []).slice(0, 3).map((s) => `"${s}"`);
      problems.push({
        field: group.join(' or '),
        reason: `no column for required field ${group.join(' or ')} (a header such as ${examples.join(', ')}, or a mapping)`,
      });
    }
  }
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION',
      `The ${entity} file's columns cannot be imported: ${problems.map((p) => p.reason).join('; ')}`,
      problems.map((p) => ({ line: 1, ...p })),
    );
  }
  const columns: Record<string, string> = {};
  const byField: Record<string, string> = {};
  for (const [field, { header }] of claimed) {
    columns[header] = field;
    byField[field] = header;
  }
  return { columns, byField, ignored };
}

/** A mapping file: the columns, and how its dates and amounts are written (both optional). */
export interface MappingFile {
  columns: Record<string, string>;
  /** As --date-format: DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD. */
  dateFormat?: string;
  /** As --decimal-separator: "." or ",". */
  decimalSeparator?: string;
}

const mappingFileSchema = z.union([
  z
    .object({
      columns: z.record(z.string(), z.string()).default({}),
      dateFormat: z.string().optional(),
      decimalSeparator: z.string().optional(),
    })
    .strict()
    .transform((m): MappingFile => m),
  z.record(z.string(), z.string()).transform((columns): MappingFile => ({ columns })),
]);

/**
 * Read a mapping file: JSON, either `{"Source header": "canonicalField", …}` or
 * `{"columns": {…}, "dateFormat": "MM/DD/YYYY", "decimalSeparator": "."}`. A value of
 * "ignore" skips the column.
 */
export async function loadMappingFile(path: string): Promise<Record<string, string>> {
  return (await loadMappingOptions(path)).columns;
}

export async function loadMappingOptions(path: string): Promise<MappingFile> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (e) {
    throw new AppError('VALIDATION', `Cannot read mapping file ${path}: ${(e as Error).message}`);
  }
  return parseMappingFile(raw, path);
}

export function parseMapping(json: string, name = 'mapping'): Record<string, string> {
  return parseMappingFile(json, name).columns;
}

export function parseMappingFile(json: string, name = 'mapping'): MappingFile {
  let data: unknown;
  try {
    data = JSON.parse(json.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new AppError('VALIDATION', `${name} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = mappingFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new AppError('VALIDATION', `${name} must map source headers to field names (strings)`, [
      { reason: parsed.error.issues[0]?.message ?? 'invalid mapping' },
    ]);
  }
  return parsed.data;
}
