import { isValidCreditorReference, normalizeCreditorReference } from '../sepa/index.js';
import { oldestFirst, spread } from './allocate.js';
import type { Catalogue, Payer } from './catalogue.js';
import {
  compactInvoiceNumber,
  creditorReferencesInText,
  invoiceNumberCandidates,
  looseNumberCandidates,
  withinOneEdit,
} from './text.js';
import type { BankLine, MatchOptions, MatchProposal, MatchReason, OpenInvoice } from './types.js';

/**
 * Confidence levels (0-100). An explicit reference from the debtor (RF, invoice number) is
 * worth more than an amount coincidence; a matching IBAN is worth more than a matching name.
 * Overpayments and ambiguous amounts always go to a person.
 */
const SCORE = {
  referenceExact: 99,
  referencePartial: 95,
  // An overpayment with an explicit reference reaches the threshold only when the payer is
  // also recognised (+1): the surplus then becomes the customer's credit.
  referenceOver: 89,
  numberExact: 97,
  numberPartial: 92,
  numberOver: 89,
  looseExact: 95,
  loosePartial: 85,
  looseOver: 80,
  typoExact: 92,
  typoOther: 70,
  shortNumberPenalty: 10,
  customerMismatchPenalty: 20,
  ibanExact: 93,
  ibanTotal: 92,
  nameExact: 85,
  nameTotal: 84,
  subsetUnique: 80,
  // Paid from the customer's known account, and one set only of its invoices adds up.
  subsetUniqueIban: 90,
  ambiguous: 60,
  customerOnly: 50,
  amountOnlyUnique: 55,
  amountOnlyAmbiguous: 40,
} as const;

export interface Run {
  line: BankLine;
  currency: string;
  catalogue: Catalogue;
  options: Required<MatchOptions>;
}

export const reason = (code: MatchReason['code'], detail: string): MatchReason => ({ code, detail });

function due(run: Run, invoice: OpenInvoice): number {
  return run.catalogue.due(invoice);
}

function totalDue(run: Run, invoices: readonly OpenInvoice[]): number {
  return invoices.reduce((sum, i) => sum + due(run, i), 0);
}

/** Allocate oldest first and score exact / partial / over payment. */
function propose(
  run: Run,
  targets: OpenInvoice[],
  scores: { exact: number; partial: number; over: number },
  reasons: MatchReason[],
): MatchProposal {
  const ordered = oldestFirst(targets);
  const { allocations, unallocated } = spread(run.line.amount, ordered, (i) => due(run, i));
  const total = totalDue(run, ordered);
  const paid = run.line.amount.amount;
  let confidence: number = scores.exact;
  const all = [...reasons];
  const tolerance = run.options.shortPaymentTolerance;
  const customerIds = new Set(ordered.map((i) => i.customerId));
  let writeOffs: MatchProposal['writeOffs'];
  if (paid < total && total - paid <= tolerance.maxMinor && customerIds.size === 1) {
    // Within the organisation's tolerance the invoices are settled and the difference is
    // booked to the named reason (bank fees, rounding), instead of a balance left to chase.
    const got = new Map(allocations.map((a) => [a.invoiceId, a.amount.amount]));
    writeOffs = ordered
      .map((i) => ({
        invoiceId: i.invoiceId,
        invoiceNumber: i.invoiceNumber,
        left: due(run, i) - (got.get(i.invoiceId) ?? 0),
      }))
      .filter((w) => w.left > 0)
      .map((w) => ({
        invoiceId: w.invoiceId,
        invoiceNumber: w.invoiceNumber,
        amount: { amount: w.left, currency: run.currency },
      }));
    all.push(
      reason(
        'short-payment',
        `${total - paid} short of the ${total} due, within the tolerance: booked to ${tolerance.reason}`,
      ),
    );
  } else if (paid < total) {
    confidence = scores.partial;
    all.push(reason('partial-payment', `pays ${paid} of ${total} due`));
  } else if (paid > total) {
    confidence = scores.over;
    all.push(reason('overpayment', `${paid - total} more than the ${total} due`));
    if (customerIds.size === 1)
      all.push(reason('customer-credit', `${paid - total} stays on the customer as credit`));
  }
  const proposal: MatchProposal = { allocations, unallocated, confidence, reasons: all };
  if (writeOffs && writeOffs.length > 0) {
    proposal.writeOffs = writeOffs;
    proposal.writeOffReason = tolerance.reason;
  }
  if (customerIds.size === 1) proposal.customerId = ordered[0]?.customerId;
  return proposal;
}

export /** Lower the score when the payer is identified as someone else than the invoices' customer. */
function checkPayer(proposal: MatchProposal, payer: Payer): MatchProposal {
  const identified = payer.byIban.length > 0 ? payer.byIban : payer.byName;
  if (!proposal.customerId || identified.length === 0) return proposal;
  if (identified.some((c) => c.customerId === proposal.customerId)) {
    const how = payer.byIban.length > 0 ? 'customer-iban' : 'customer-name';
    return {
      ...proposal,
      confidence: Math.min(100, proposal.confidence + 1),
      reasons: [...proposal.reasons, reason(how, 'the payer is the invoices’ customer')],
    };
  }
  return {
    ...proposal,
    confidence: proposal.confidence - SCORE.customerMismatchPenalty,
    reasons: [
      ...proposal.reasons,
      reason('customer-mismatch', `the payer looks like ${identified.map((c) => c.name).join(', ')}`),
    ],
  };
}

export function byCreditorReference(run: Run) {
  const refs = new Set<string>();
  const { structuredReference, remittanceText } = run.line;
  if (structuredReference && isValidCreditorReference(structuredReference)) {
    refs.add(normalizeCreditorReference(structuredReference));
  }
  for (const ref of creditorReferencesInText(remittanceText ?? '')) refs.add(ref);
  const unknown: MatchReason[] = [];
  for (const ref of refs) {
    const entry = run.catalogue.reference(ref);
    if (!entry) {
      unknown.push(reason('unknown-reference', `${ref} was not issued by this organisation`));
      continue;
    }
    const targets = entry.invoiceIds
      ? run.catalogue.openByIds(entry.invoiceIds, run.currency)
      : run.catalogue.openOfCustomer(entry.customerId, run.currency);
    if (targets.length === 0 || totalDue(run, targets) <= 0) {
      unknown.push(reason('unknown-reference', `${ref} designates nothing still open`));
      continue;
    }
    const what = entry.invoiceIds ? `${targets.length} selected invoice(s)` : 'the customer’s open invoices';
    return {
      proposal: propose(
        run,
        targets,
        { exact: SCORE.referenceExact, partial: SCORE.referencePartial, over: SCORE.referenceOver },
        [reason('creditor-reference', `${ref} designates ${what}`)],
      ),
      unknown,
    };
  }
  return { proposal: undefined, unknown };
}

export function byInvoiceNumbers(run: Run, payer?: Payer): MatchProposal | undefined {
  // ERPs often copy the invoice number into the end-to-end id, so it is searched too.
  const text = [run.line.remittanceText, run.line.structuredReference, run.line.endToEndId]
    .filter(Boolean)
    .join(' ');
  if (!text) return undefined;
  const candidates = invoiceNumberCandidates(text);
  const found = run.catalogue.openByCompactNumbers(candidates, run.currency);
  if (found.length === 0) return byLooseNumbers(run, text, payer) ?? byNumberTypo(run, candidates, payer);
  // With dense numbering a typo is often another existing number: when the number found owes
  // another amount, a number one keystroke away owing exactly the amount is the better reading.
  if (totalDue(run, found) !== run.line.amount.amount) {
    const typo = byNumberTypo(run, candidates, payer);
    if (
      typo &&
      typo.confidence === SCORE.typoExact &&
      !found.some((f) => typo.allocations[0]?.invoiceId === f.invoiceId)
    )
      return typo;
  }
  const short = found.some((i) => compactInvoiceNumber(i.invoiceNumber).length < 4);
  const penalty = short ? SCORE.shortNumberPenalty : 0;
  const reasons = [reason('invoice-number', `mentions ${found.map((i) => i.invoiceNumber).join(', ')}`)];
  if (short) reasons.push(reason('short-invoice-number', 'a number this short may be a coincidence'));
  return propose(
    run,
    found,
    {
      exact: SCORE.numberExact - penalty,
      partial: SCORE.numberPartial - penalty,
      over: SCORE.numberOver - penalty,
    },
    reasons,
  );
}

/** Invoices of the payer (when recognised), else of every customer, among `invoices`. */
function ofPayer(invoices: OpenInvoice[], payer: Payer | undefined): OpenInvoice[] {
  const ids = new Set([...(payer?.byIban ?? []), ...(payer?.byName ?? [])].map((c) => c.customerId));
  if (ids.size === 0) return invoices;
  const mine = invoices.filter((i) => ids.has(i.customerId));
  return mine.length > 0 ? mine : invoices;
}

/** Numbers written without their prefix or zero padding ("2026/1" for F-2026-0001). */
function byLooseNumbers(run: Run, text: string, payer: Payer | undefined): MatchProposal | undefined {
  const found = ofPayer(run.catalogue.openByLooseKeys(looseNumberCandidates(text), run.currency), payer);
  // A loose key shared by several customers' invoices says nothing about which one is paid.
  if (found.length === 0 || new Set(found.map((i) => i.customerId)).size > 1) return undefined;
  return propose(
    run,
    found,
    { exact: SCORE.looseExact, partial: SCORE.loosePartial, over: SCORE.looseOver },
    [
      reason(
        'invoice-number-loose',
        `mentions ${found.map((i) => i.invoiceNumber).join(', ')} without its prefix or zero padding`,
      ),
    ],
  );
}

/**
 * One typing mistake in an invoice number (a digit changed, dropped, added or two swapped).
 * Only the payer's invoices, or invoices owing exactly the amount, are compared: a typo alone
 * would otherwise point anywhere among a million numbers.
 */
function byNumberTypo(
  run: Run,
  candidates: Set<string>,
  payer: Payer | undefined,
): MatchProposal | undefined {
  const tokens = [...candidates].filter((c) => c.length >= 6 && /[0-9]/.test(c));
  if (tokens.length === 0) return undefined;
  const amount = run.line.amount.amount;
  const ids = new Set([...(payer?.byIban ?? []), ...(payer?.byName ?? [])].map((c) => c.customerId));
  const pool = new Set<OpenInvoice>(run.catalogue.openWithBalance(amount, run.currency));
  for (const id of ids) for (const i of run.catalogue.openOfCustomer(id, run.currency)) pool.add(i);
  const hits: OpenInvoice[] = [];
  for (const invoice of pool) {
    const compact = run.catalogue.compactOf.get(invoice.invoiceId) ?? '';
    if (compact.length < 6) continue;
    if (tokens.some((t) => withinOneEdit(t, compact))) hits.push(invoice);
  }
  // Dense numbering puts several numbers one keystroke away: the one owing the amount wins.
  const owing = hits.filter((i) => due(run, i) === amount);
  const hit = owing.length === 1 ? owing[0] : hits.length === 1 ? hits[0] : undefined;
  if (!hit) return undefined;
  const exact = due(run, hit) === amount;
  const score = exact ? SCORE.typoExact : SCORE.typoOther;
  return propose(run, [hit], { exact: score, partial: score, over: score }, [
    reason('invoice-number-typo', `mentions a number one keystroke away from ${hit.invoiceNumber}`),
  ]);
}

/** Subsets of at most `max` invoices whose balances add up to the amount (small n only). */
function subsetsSumming(run: Run, invoices: OpenInvoice[], amount: number, max: number): OpenInvoice[][] {
  const pool = oldestFirst(invoices).slice(0, 20);
  const found: OpenInvoice[][] = [];
  const walk = (start: number, chosen: OpenInvoice[], sum: number) => {
    if (found.length > 2) return;
    if (sum === amount && chosen.length > 1) {
      found.push([...chosen]);
      return;
    }
    if (chosen.length === max || sum >= amount) return;
    for (let i = start; i < pool.length; i++) {
      const invoice = pool[i];
      if (!invoice) continue;
      chosen.push(invoice);
      walk(i + 1, chosen, sum + due(run, invoice));
      chosen.pop();
    }
  };
  walk(0, [], 0);
  return found;
}

export function byAmountAndCustomer(run: Run, payer: Payer): MatchProposal[] {
  const viaIban = payer.byIban.length > 0;
  const customers = viaIban ? payer.byIban : payer.byName;
  if (customers.length === 0) return [];
  const how = viaIban
    ? reason('customer-iban', 'paid from a known account of the customer')
    : reason('customer-name', 'the payer’s name is the customer’s');
  const amount = run.line.amount.amount;
  const proposals: MatchProposal[] = [];
  for (const customer of customers) {
    const open = run.catalogue.openOfCustomer(customer.customerId, run.currency);
    if (open.length === 0) continue;
    const exact = oldestFirst(open.filter((i) => due(run, i) === amount));
    const single = (invoices: OpenInvoice[], confidence: number, reasons: MatchReason[]) => {
      const p = propose(run, invoices, { exact: confidence, partial: confidence, over: confidence }, [
        how,
        ...reasons,
      ]);
      proposals.push(p);
    };
    if (exact.length === 1 && exact[0]) {
      single(exact, viaIban ? SCORE.ibanExact : SCORE.nameExact, [
        reason('amount-exact', `the amount is the balance of ${exact[0].invoiceNumber}`),
      ]);
    } else if (exact.length > 1) {
      for (const invoice of exact) {
        single([invoice], SCORE.ambiguous, [
          reason('ambiguous', `${exact.length} invoices of this customer have this balance`),
        ]);
      }
    } else if (totalDue(run, open) === amount) {
      single(open, viaIban ? SCORE.ibanTotal : SCORE.nameTotal, [
        reason(
          'amount-total-balance',
          `the amount is everything the customer owes (${open.length} invoices)`,
        ),
      ]);
    } else {
      const subsets = subsetsSumming(run, open, amount, run.options.maxInvoicesPerTransfer);
      if (subsets.length > 0) {
        // Found in oldest-first order: with several sets, the one settling the oldest debts
        // leads (art. 1342-10), as a suggestion a person confirms.
        for (const [k, subset] of subsets.entries()) {
          const score =
            subsets.length === 1
              ? viaIban && customers.length === 1
                ? SCORE.subsetUniqueIban
                : SCORE.subsetUnique
              : k === 0
                ? SCORE.ambiguous + 5
                : SCORE.ambiguous;
          single(subset, score, [
            reason(
              'amount-sum',
              `the amount is the sum of ${subset.map((i) => i.invoiceNumber).join(' + ')}`,
            ),
            ...(subsets.length > 1
              ? [reason('ambiguous', 'several sets of invoices add up to the amount')]
              : []),
          ]);
        }
      } else {
        const p = propose(
          run,
          open,
          { exact: SCORE.customerOnly, partial: SCORE.customerOnly, over: SCORE.customerOnly },
          [how],
        );
        proposals.push(p);
      }
    }
  }
  return proposals;
}

export function byAmountOnly(run: Run): MatchProposal[] {
  const amount = run.line.amount.amount;
  const exact = oldestFirst(run.catalogue.openWithBalance(amount, run.currency));
  const confidence = exact.length === 1 ? SCORE.amountOnlyUnique : SCORE.amountOnlyAmbiguous;
  return exact.map((invoice) =>
    propose(run, [invoice], { exact: confidence, partial: confidence, over: confidence }, [
      reason('amount-only', `only the amount links this payment to ${invoice.invoiceNumber}`),
      ...(exact.length > 1 ? [reason('ambiguous', `${exact.length} open invoices have this balance`)] : []),
    ]),
  );
}
