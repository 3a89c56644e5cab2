import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { existingLineKeys, loadMatchingContext } from '../../db/queries/bank-statements.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import { type BankLine, type MatchResult, matchBankLines } from '../../domain/matching/index.js';
import { notFound } from '../../errors.js';
import type { BankCsvMapping } from '../../ingest/bank-csv/index.js';
import { parseBankFile } from '../../ingest/bank-statement/index.js';
import { recordPayment } from '../payments/record-payment.js';

export interface BankImportLine {
  lineId: string;
  bookingDate: string;
  amountMinor: number;
  currency: string;
  counterparty: string | null;
  status: 'matched' | 'unmatched' | 'ignored' | 'already_imported';
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

/**
 * Import a bank file (camt.052/053/054, CFONB 120, MT940, OFX, CSV with a mapping): each credit line not seen before is matched against
 * open invoices — the portal's RF references first, then invoice numbers, then amounts and
 * payers (src/domain/matching) — and a confident match is recorded as a payment through
 * recordPayment with the matcher's allocations. Everything else is kept for review:
 * 'unmatched' (nothing or only a suggestion), 'ignored' (debits, reversals, currencies with
 * nothing open). One transaction: a failure records nothing.
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
    const today = zonedParts(opts.now, org.time_zone).date;
    const keyed = lines.map((line) => ({ line, key: bankLineKey(line) }));
    const seen = await existingLineKeys(
      trx,
      orgId,
      keyed.map((k) => k.key),
    );
    const fresh = keyed.filter((k, i) => !seen.has(k.key) && keyed.findIndex((x) => x.key === k.key) === i);
    const context = await loadMatchingContext(trx, orgId);
    const results = matchBankLines(
      fresh.map((k) => k.line),
      context,
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
    for (const [i, { line, key }] of fresh.entries()) {
      const result = results[i] as MatchResult;
      const base = describe(line, today);
      const reasons = [...result.reasons, ...(result.proposal?.reasons ?? [])].map((r) => r.code);
      const proposal = result.proposal;
      let status: 'matched' | 'unmatched' | 'ignored' =
        result.status === 'ignored' ? 'ignored' : result.status === 'auto' ? 'matched' : 'unmatched';
      let paymentId: string | null = null;
      // An automatic match across several customers' invoices is still a person's call.
      if (status === 'matched' && !proposal?.customerId) status = 'unmatched';
      if (status === 'matched' && proposal?.customerId) {
        const p = await recordPayment(trx, orgId, {
          customerId: proposal.customerId,
          paymentReference: `bank:${key.slice(0, 40)}`,
          receivedOn: base.bookingDate,
          amount: line.amount.amount,
          currency: line.amount.currency,
          method: 'transfer',
          bankReference: [line.endToEndId, line.structuredReference, line.remittanceText]
            .filter(Boolean)
            .join(' | ')
            .slice(0, 500),
          allocations: proposal.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount.amount })),
          actor: opts.actor,
        });
        paymentId = p.paymentId;
        recorded.set(line.amount.currency, (recorded.get(line.amount.currency) ?? 0) + line.amount.amount);
      }
      await trx
        .insertInto('bank_statement_lines')
        .values({
          org_id: orgId,
          line_key: key,
          statement_id: statementOf.get(line) ?? null,
          filename: file.filename,
          booking_date: base.bookingDate,
          currency: line.amount.currency,
          amount_minor: line.creditDebit === 'DBIT' ? -line.amount.amount : line.amount.amount,
          counterparty: line.debtorName ?? null,
          counterparty_iban: line.debtorIban ? line.debtorIban.replace(/\s+/g, '').toUpperCase() : null,
          remittance: [line.structuredReference, line.remittanceText].filter(Boolean).join(' | ') || null,
          end_to_end_id: line.endToEndId ?? null,
          status,
          customer_id: status === 'matched' ? (proposal?.customerId ?? null) : null,
          payment_id: paymentId,
          match_reason: reasons.join(',') || null,
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
        })
        .execute();
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
    const count = (s: BankImportLine['status']) => out.filter((l) => l.status === s).length;
    return {
      messageType: doc.format,
      messageId: doc.messageId,
      lines: out,
      matched: count('matched'),
      unmatched: count('unmatched'),
      ignored: count('ignored'),
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
