import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import type { Kysely } from 'kysely';
import type { RenderedPdf } from '../../channels/letter/document-pdf.js';
import {
  type EscalationFileModel,
  type FileDocument,
  renderEscalationFilePdf,
} from '../../channels/letter/escalation-file-pdf.js';
import { withOrg } from '../../db/connection.js';
import { listEvidence } from '../../db/queries/evidence.js';
import { listCaseDocuments } from '../../db/queries/law-case.js';
import type { Database } from '../../db/schema/index.js';
import { type EvidenceEntry, verifyChain } from '../../domain/dunning/evidence.js';
import { toCsvLine } from '../../ingest/csv-export.js';
import { loadLogoBytes } from '../branding/load-logo.js';
import { type ClaimOptions, creditorParty, debtorParty, loadCustomerClaim } from './customer-claim.js';
import { estimateEscalation } from './estimate-escalation.js';
import { safeName } from './render-formal-notice.js';

export interface ManifestEntry {
  path: string;
  sha256: string;
  sizeBytes: number;
  /** Where the bytes come from: the generated dossier, an export, or a stored document. */
  source: string;
}

export interface EscalationFile {
  /** The dossier PDF alone. */
  pdf: RenderedPdf;
  zip: Buffer;
  zipSha256: string;
  manifest: { customer: string; date: string; generatedBy: string; files: ManifestEntry[] };
  /** Base name (no extension) for downloads. */
  basename: string;
}

interface LoadedDocument extends FileDocument {
  id: string;
  bytes: Uint8Array;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Unique, portable names inside the archive: "pieces/01-invoice-F-2025-001.pdf". */
function documentPaths<T extends { kind: string; filename: string }>(docs: T[]): (T & { path: string })[] {
  const used = new Set<string>();
  return docs.map((d, i) => {
    const base = d.filename.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '') || 'document';
    let path = `pieces/${String(i + 1).padStart(2, '0')}-${d.kind}-${base}`;
    while (used.has(path)) path = `${path}_`;
    used.add(path);
    return { ...d, path };
  });
}

export function evidenceCsv(entries: EvidenceEntry[]): string {
  const header = [
    'seq',
    'at',
    'kind',
    'channel',
    'summary',
    'content_sha256',
    'prev_hash',
    'hash',
    'payload',
  ];
  const lines = [toCsvLine(header)];
  for (const e of entries) {
    lines.push(
      toCsvLine([
        e.seq,
        e.at,
        e.kind,
        e.channel,
        e.summary,
        e.contentSha256,
        e.prevHash,
        e.hash,
        JSON.stringify(e.payload),
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Load and compute everything the escalation file holds; no rendering yet. */
async function loadEscalationCase(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  opts: ClaimOptions,
): Promise<{ model: EscalationFileModel; documents: LoadedDocument[] }> {
  const claim = await loadCustomerClaim(db, orgId, customerId, opts);
  const { evidence, docs } = await withOrg(db, orgId, async (trx) => ({
    evidence: await listEvidence(trx, orgId, customerId),
    docs: await listCaseDocuments(
      trx,
      orgId,
      customerId,
      claim.invoices.map((i) => i.id),
    ),
  }));
  const documents: LoadedDocument[] = documentPaths(docs).map((d) => ({
    id: d.id,
    path: d.path,
    kind: d.kind,
    sizeBytes: Number(d.size_bytes),
    // Hash the bytes we ship, not the stored column: a mismatch would show in the manifest.
    sha256: sha256(d.content),
    bytes: d.content,
  }));
  const money = (amount: number) => ({ amount, currency: claim.currency });
  const numberOf = new Map(claim.invoices.map((i) => [i.id, i.invoice_number]));
  const model: EscalationFileModel = {
    date: claim.date,
    creditor: { ...creditorParty(claim.org), email: claim.org.email, phone: claim.org.phone },
    debtor: {
      ...debtorParty(claim.customer),
      externalRef: claim.customer.external_ref,
      country: claim.customer.country.trim(),
    },
    notice: claim.notice,
    statement: claim.invoices.map((i) => ({
      invoiceNumber: i.invoice_number,
      issueDate: i.issue_date,
      dueDate: i.due_date,
      gross: money(i.gross_minor),
      credited: money(i.credited_minor + i.written_off_minor),
      paid: money(i.paid_minor),
      balance: money(i.balance_minor),
    })),
    payments: claim.payments.map((x) => ({
      date: x.received_on,
      reference: x.payment_reference,
      invoiceNumber: numberOf.get(x.invoice_id) ?? '',
      amount: money(x.amount_minor),
    })),
    excluded: claim.excluded,
    estimate: estimateEscalation(claim),
    evidence,
    chain: verifyChain(evidence),
    documents: documents.map(({ path, kind, sizeBytes, sha256 }) => ({ path, kind, sizeBytes, sha256 })),
    logo: await loadLogoBytes(db, orgId),
  };
  return { model, documents };
}

/** The escalation file of one customer as a single PDF. */
export async function renderEscalationFile(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  opts: ClaimOptions,
): Promise<{ pdf: RenderedPdf; basename: string }> {
  const { model } = await loadEscalationCase(db, orgId, customerId, opts);
  return { pdf: await renderEscalationFilePdf(model), basename: basenameOf(model) };
}

const basenameOf = (m: EscalationFileModel) =>
  `dossier-recouvrement-${safeName(m.debtor.externalRef)}-${m.date}`;

/**
 * The escalation file of one customer as a ZIP: the dossier PDF, the case's stored documents
 * (invoices, contracts, letters sent) as stored, the evidence log as CSV and JSON, and a
 * manifest (manifest.json and a `sha256sum -c` compatible SHA256SUMS) with the SHA-256 of
 * every file. Entries carry a fixed date so the same case gives the same archive.
 */
export async function buildEscalationFile(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  opts: ClaimOptions,
): Promise<EscalationFile> {
  const { model, documents } = await loadEscalationCase(db, orgId, customerId, opts);
  const pdf = await renderEscalationFilePdf(model);
  const basename = basenameOf(model);
  const files: { path: string; bytes: Uint8Array; source: string }[] = [
    { path: `${basename}.pdf`, bytes: pdf.pdf, source: 'generated: escalation file' },
    ...documents.map((d) => ({ path: d.path, bytes: d.bytes, source: `document ${d.id} (${d.kind})` })),
    {
      path: 'historique.csv',
      bytes: strToU8(`\uFEFF${evidenceCsv(model.evidence)}`),
      source: 'evidence log',
    },
    {
      path: 'historique.json',
      bytes: strToU8(
        `${JSON.stringify({ customerId, externalRef: model.debtor.externalRef, chain: model.chain, entries: model.evidence }, null, 2)}\n`,
      ),
      source: 'evidence log',
    },
  ];
  const entries: ManifestEntry[] = files.map((f) => ({
    path: f.path,
    sha256: sha256(f.bytes),
    sizeBytes: f.bytes.length,
    source: f.source,
  }));
  const manifest = {
    customer: model.debtor.externalRef,
    date: model.date,
    generatedBy: 'Relance',
    files: entries,
  };
  const sums = entries.map((e) => `${e.sha256}  ${e.path}`).join('\n');
  const mtime = new Date(`${model.date}T12:00:00Z`);
  const zippable: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const f of files) zippable[f.path] = [f.bytes, { mtime }];
  zippable['manifest.json'] = [strToU8(`${JSON.stringify(manifest, null, 2)}\n`), { mtime }];
  zippable.SHA256SUMS = [strToU8(`${sums}\n`), { mtime }];
  const zip = Buffer.from(zipSync(zippable, { level: 6 }));
  return { pdf, zip, zipSha256: sha256(zip), manifest, basename };
}
