import { Catalogue } from './catalogue.js';
import {
  byAmountAndCustomer,
  byAmountOnly,
  byCreditorReference,
  byInvoiceNumbers,
  checkPayer,
  type Run,
  reason,
} from './strategies.js';
import type {
  BankLine,
  MatchingContext,
  MatchOptions,
  MatchProposal,
  MatchReason,
  MatchResult,
} from './types.js';

export const DEFAULT_AUTO_THRESHOLD = 90;

function decide(run: Run, proposals: MatchProposal[], extra: MatchReason[]): MatchResult {
  const sorted = [...proposals].sort((a, b) => b.confidence - a.confidence);
  const [best, ...alternatives] = sorted;
  if (!best) {
    return {
      bankLineId: run.line.id,
      status: 'unmatched',
      alternatives: [],
      reasons: [
        ...extra,
        reason('no-candidate', 'no reference, invoice number or amount points to an open invoice'),
      ],
    };
  }
  // Two proposals as good as each other are a guess, however high each one scores.
  const tied = alternatives.some((a) => a.confidence === best.confidence);
  // A surplus is applied only when it has one owner: it becomes that customer's credit.
  const auto =
    !tied &&
    best.confidence >= run.options.autoThreshold &&
    (best.unallocated.amount === 0 || best.customerId !== undefined);
  return {
    bankLineId: run.line.id,
    status: auto ? 'auto' : 'suggested',
    proposal: best,
    alternatives,
    reasons: extra,
  };
}

function ignored(line: BankLine, why: MatchReason): MatchResult {
  return { bankLineId: line.id, status: 'ignored', alternatives: [], reasons: [why] };
}

/** Match one bank line against what earlier lines left open. */
function matchOne(line: BankLine, catalogue: Catalogue, options: Required<MatchOptions>): MatchResult {
  if (line.creditDebit !== 'CRDT') {
    return ignored(line, reason('debit', 'money going out is not a payment received'));
  }
  if (line.reversal) return ignored(line, reason('reversal', 'a reversal cancels an earlier entry'));
  const currency = line.amount.currency;
  if (!catalogue.hasCurrency(currency)) {
    return ignored(line, reason('currency-mismatch', `no open invoice is in ${currency}`));
  }
  const run: Run = { line, currency, catalogue, options };
  const payer = catalogue.identify(line.debtorIban, line.debtorName);
  const { proposal: byRef, unknown } = byCreditorReference(run);
  if (byRef) return decide(run, [checkPayer(byRef, payer)], unknown);
  const byNumber = byInvoiceNumbers(run, payer);
  if (byNumber) return decide(run, [checkPayer(byNumber, payer)], unknown);
  const byCustomer = byAmountAndCustomer(run, payer);
  if (byCustomer.length > 0) return decide(run, byCustomer, unknown);
  return decide(run, byAmountOnly(run), unknown);
}

/**
 * Match bank lines to open invoices. Pure: the caller loads lines, invoices, customers and
 * issued references, and applies the `auto` results (then refreshes balances). Lines are
 * taken in booking order and each automatic match lowers the balances the next lines see,
 * so two transfers for one invoice (many-to-one) split it instead of both claiming it.
 * Suggestions do not consume balances: a person may still decide otherwise.
 */
export function matchBankLines(
  lines: readonly BankLine[],
  context: MatchingContext,
  options: MatchOptions = {},
): MatchResult[] {
  const settings: Required<MatchOptions> = {
    autoThreshold: options.autoThreshold ?? DEFAULT_AUTO_THRESHOLD,
    maxInvoicesPerTransfer: options.maxInvoicesPerTransfer ?? 4,
    shortPaymentTolerance: options.shortPaymentTolerance ?? { maxMinor: 0, reason: 'bank-fees' },
  };
  const catalogue = new Catalogue(context);
  const order = lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => (a.line.bookingDate ?? '').localeCompare(b.line.bookingDate ?? '') || a.index - b.index);
  const results: MatchResult[] = new Array(lines.length);
  for (const { line, index } of order) {
    const result = matchOne(line, catalogue, settings);
    if (result.status === 'auto' && result.proposal) {
      for (const a of result.proposal.allocations) catalogue.settle(a.invoiceId, a.amount.amount);
    }
    results[index] = result;
  }
  return results;
}

export function matchBankLine(
  line: BankLine,
  context: MatchingContext,
  options: MatchOptions = {},
): MatchResult {
  const [result] = matchBankLines([line], context, options);
  return result ?? { bankLineId: line.id, status: 'unmatched', alternatives: [], reasons: [] };
}
