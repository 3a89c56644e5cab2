import { createHash, randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { refreshBalances } from '../../db/queries/balances.js';
import {
  type BankPaymentWrite,
  insertBankLines,
  insertBankPayments,
  insertWriteOffs,
  type WriteOff,
} from '../../db/queries/bank-recording.js';
import { existingLineKeys, loadMatchingContext } from '../../db/queries/bank-statements.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { BankStatementLinesTable, Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import {
  type BankLine,
  type MatchProposal,
  type MatchResult,
  matchBankLines,
} from '../../domain/matching/index.js';
import { notFound } from '../../errors.js';
import type { BankCsvMapping } from '../../ingest/bank-csv/index.js';
import { parseBankFile } from '../../ingest/bank-statement/index.js';
import { refreshPlanProgress } from '../payment-plans/track-payment-plans.js';
import { applyReturns, isReturn } from './apply-returns.js';
import { bankSettings, matchOptions } from './bank-settings.js';

export interface BankImportLine {
  lineId: string;
  bookingDate: string;
  amountMinor: number;
  currency: string;
  counterparty: string | null;
  status: 'matched' | 'unmatched' | 'ignored' | 'return' | 'already_imported';
  /** Why, in the matcher's words (reason codes). */
  reasons: string[];
  paymentId: string | null;
  customerId: string | null;
  allocations: { invoiceId: string; invoiceNumber: string; amountMinor: number }[];
}

export interface BankImportResult {
  messageType: string;
  messageId: string;
  lines: BankImportLine[];
  matched: number;
  unmatched: number;
  ignored: number;
  returns: number;
  alreadyImported: number;
  /** Sum of the payments recorded, per currency. */
  recorded: { currency: string; amountMinor: number }[];
}

/**
 * A line's identity across imports: statement ids are not unique across banks and files,
 * so the key is a hash of everything that makes the line (id, date, amount, parties, texts).
 */
export function bankLineKey(line: BankLine): string {
  const parts = [
    line.id,
    line.bookingDate ?? '',
    line.creditDebit,
    String(line.amount.amount),
    line.amount.currency,
    line.endToEndId ?? '',
    line.debtorIban ?? '',
    line.debtorName ?? '',
    line.structuredReference ?? '',
    line.remittanceText ?? '',
    line.reversal ? 'R' : '',
  ];
  return createHash('sha256').update(parts.join('\u001f')).digest('hex');
}

/** What the evidence file keeps of a decision: the rule, the evidence, the confidence. */
export function explain(result: MatchResult) {
  const p = result.proposal;
  const reasons = [...result.reasons, ...(p?.reasons ?? [])];
  const describe = (x: MatchProposal) => ({
    customerId: x.customerId ?? null,
    confidence: x.confidence,
    allocations: x.allocations.map((a) => ({
      invoiceId: a.invoiceId,
      invoiceNumber: a.invoiceNumber,
      amountMinor: a.amount.amount,
    })),
    unallocatedMinor: x.unallocated.amount,
    ...(x.writeOffs
      ? {
          writeOffs: x.writeOffs.map((w) => ({ invoiceId: w.invoiceId, amountMinor: w.amount.amount })),
          writeOffReason: x.writeOffReason,
        }
      : {}),
    reasons: x.reasons,
  });
  return {
    rule: p?.reasons[0]?.code ?? reasons[0]?.code ?? null,
    status: result.status,
    confidence: p?.confidence ?? null,
    reasons,
    ...(p ? { proposal: describe(p) } : {}),
    alternatives: result.alternatives.slice(0, 3).map(describe),
  };
}

/**
 * Import a bank file (camt.052/053/054, CFONB 120, MT940, OFX, CSV with a mapping): each line
 * not seen before is matched against open invoices (src/domain/matching), the confident
 * matches are recorded as payments set-based (a few statements for the whole file), returns
 * (R-transactions) undo the payment they return, and every line is stored with its
 * explanation: 'matched', 'unmatched' (for review, with the best suggestions), 'ignored' or
 * 'return'. One transaction: a failure records nothing.
 */
export async function importBankStatement(
  db: Kysely<Database>,
  orgId: string,
  file: { content: Buffer; filename: string | null; csvMapping?: BankCsvMapping },
  opts: { now: Date; actor: string },
): Promise<BankImportResult> {
  const doc = parseBankFile(file.content, {
    filename: file.filename,
    ...(file.csvMapping ? { csvMapping: file.csvMapping } : {}),
  });
  const lines = doc.statements.flatMap((s) => s.lines);
  const statementOf = new Map(doc.statements.flatMap((s) => s.lines.map((l) => [l, s.id] as const)));
  return withOrg(db, orgId, async (trx) => {
    const org = await getOrganisation(trx, orgId);
    if (!org) throw notFound('Organisation', orgId);
    const settings = bankSettings(org.settings);
    const today = zonedParts(opts.now, org.time_zone).date;
    const keyed = lines.map((line) => ({ line, key: bankLineKey(line) }));
    const seen = await existingLineKeys(
      trx,
      orgId,
      keyed.map((k) => k.key),
    );
    const taken = new Set<string>();
    const fresh = keyed.filter((k) => {
      if (seen.has(k.key) || taken.has(k.key)) return false;
      taken.add(k.key);
      return true;
    });
    const context = await loadMatchingContext(trx, orgId);
    const results = matchBankLines(
      fresh.map((k) => k.line),
      context,
      matchOptions(settings),
    );
    const numbers = new Map(context.invoices.map((i) => [i.invoiceId, i.invoiceNumber]));
    const out: BankImportLine[] = keyed
      .filter((k) => seen.has(k.key))
      .map(({ line }) => ({
        ...describe(line, today),
        status: 'already_imported' as const,
        reasons: [],
        paymentId: null,
        customerId: null,
        allocations: [],
      }));
    const recorded = new Map<string, number>();
    const payments: BankPaymentWrite[] = [];
    const writeOffs: WriteOff[] = [];
    const rows: Insertable<BankStatementLinesTable>[] = [];
    const returnLines: { id: string; line: BankLine }[] = [];
    for (const [i, { line, key }] of fresh.entries()) {
      const result = results[i] as MatchResult;
      const base = describe(line, today);
      const proposal = result.proposal;
      const reasons = [...result.reasons, ...(proposal?.reasons ?? [])].map((r) => r.code);
      let status: 'matched' | 'unmatched' | 'ignored' =
        result.status === 'ignored' ? 'ignored' : result.status === 'auto' ? 'matched' : 'unmatched';
      // An automatic match across several customers' invoices is still a person's call.
      if (status === 'matched' && !proposal?.customerId) status = 'unmatched';
      const lineId = randomUUID();
      let paymentId: string | null = null;
      if (status === 'matched' && proposal?.customerId) {
        paymentId = randomUUID();
        payments.push({
          paymentId,
          customerId: proposal.customerId,
          paymentReference: `bank:${key.slice(0, 40)}`,
          receivedOn: base.bookingDate,
          currency: line.amount.currency,
          amountMinor: line.amount.amount,
          bankReference:
            [line.endToEndId, line.structuredReference, line.remittanceText]
              .filter(Boolean)
              .join(' | ')
              .slice(0, 500) || null,
          allocations: proposal.allocations.map((a) => ({
            invoiceId: a.invoiceId,
            amountMinor: a.amount.amount,
          })),
        });
        for (const w of proposal.writeOffs ?? [])
          writeOffs.push({
            bankLineId: lineId,
            invoiceId: w.invoiceId,
            amountMinor: w.amount.amount,
            currency: w.amount.currency,
            reason: proposal.writeOffReason ?? settings.shortPaymentReason,
          });
        recorded.set(line.amount.currency, (recorded.get(line.amount.currency) ?? 0) + line.amount.amount);
      }
      if (status === 'ignored' && isReturn(line)) returnLines.push({ id: lineId, line });
      rows.push({
        org_id: orgId,
        id: lineId,
        line_key: key,
        statement_id: statementOf.get(line) ?? null,
        filename: file.filename,
        format: doc.format,
        booking_date: base.bookingDate,
        currency: line.amount.currency,
        amount_minor: base.amountMinor,
        counterparty: line.debtorName ?? null,
        counterparty_iban: line.debtorIban ? line.debtorIban.replace(/\s+/g, '').toUpperCase() : null,
        remittance: [line.structuredReference, line.remittanceText].filter(Boolean).join(' | ') || null,
        end_to_end_id: line.endToEndId ?? null,
        status,
        customer_id: status === 'matched' ? (proposal?.customerId ?? null) : null,
        payment_id: paymentId,
        match_reason: reasons.join(',') || null,
        confidence: proposal?.confidence ?? null,
        explanation: JSON.stringify(explain(result)),
        suggestion:
          status === 'unmatched' && proposal
            ? JSON.stringify({
                customerId: proposal.customerId ?? null,
                confidence: proposal.confidence,
                allocations: proposal.allocations.map((a) => ({
                  invoiceId: a.invoiceId,
                  invoiceNumber: a.invoiceNumber,
                  amountMinor: a.amount.amount,
                })),
              })
            : null,
      });
      out.push({
        ...base,
        status,
        reasons,
        paymentId,
        customerId: status === 'matched' ? (proposal?.customerId ?? null) : null,
        allocations:
          status === 'matched' && proposal
            ? proposal.allocations.map((a) => ({
                invoiceId: a.invoiceId,
                invoiceNumber: numbers.get(a.invoiceId) ?? a.invoiceNumber,
                amountMinor: a.amount.amount,
              }))
            : [],
      });
    }
    await insertBankPayments(trx, orgId, payments, opts.actor);
    await insertBankLines(trx, rows);
    await insertWriteOffs(trx, orgId, writeOffs);
    const touched = [
      ...new Set([
        ...payments.flatMap((p) => p.allocations.map((a) => a.invoiceId)),
        ...writeOffs.map((w) => w.invoiceId),
      ]),
    ];
    if (touched.length > 0) await refreshBalances(trx, orgId, { invoiceIds: touched });
    const customers = [...new Set(payments.map((p) => p.customerId))];
    if (customers.length > 0) await refreshPlanProgress(trx, orgId, customers, null, opts.now);
    const returned = await applyReturns(trx, orgId, returnLines, { today, actor: opts.actor });
    for (const r of returned) {
      const o = out.find((x) => x.lineId === r.line.id && x.status === 'ignored');
      if (o) {
        o.status = 'return';
        o.customerId = r.customerId;
        o.reasons = [...o.reasons, 'payment-returned'];
      }
    }
    const count = (s: BankImportLine['status']) => out.filter((l) => l.status === s).length;
    return {
      messageType: doc.format,
      messageId: doc.messageId,
      lines: out,
      matched: count('matched'),
      unmatched: count('unmatched'),
      ignored: count('ignored'),
      returns: count('return'),
      alreadyImported: count('already_imported'),
      recorded: [...recorded].map(([currency, amountMinor]) => ({ currency, amountMinor })),
    };
  });
}

function describe(line: BankLine, today: string) {
  return {
    lineId: line.id,
    bookingDate: line.bookingDate ?? today,
    amountMinor: line.creditDebit === 'DBIT' ? -line.amount.amount : line.amount.amount,
    currency: line.amount.currency,
    counterparty: line.debtorName ?? null,
  };
}

export const MAX_BANK_STATEMENT_BYTES = 20 * 1024 * 1024;
