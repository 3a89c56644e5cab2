import type { BankLine } from '../../domain/matching/index.js';
import type { CamtDocument, CamtEntry, CamtTransaction } from './types.js';

function details(tx: CamtTransaction | undefined): Omit<BankLine, 'id' | 'amount' | 'creditDebit'> {
  if (!tx) return {};
  const line: Omit<BankLine, 'id' | 'amount' | 'creditDebit'> = {};
  if (tx.debtorName) line.debtorName = tx.debtorName;
  if (tx.debtorIban) line.debtorIban = tx.debtorIban;
  if (tx.endToEndId) line.endToEndId = tx.endToEndId;
  const reference = tx.creditorReference ?? tx.structuredReferences[0]?.reference;
  if (reference) line.structuredReference = reference;
  const text = [...tx.remittanceUnstructured, ...tx.additionalRemittance].join(' ');
  if (text) line.remittanceText = text;
  return line;
}

function entryLines(statementId: string, entry: CamtEntry): BankLine[] {
  const base = {
    reversal: entry.reversal,
    ...(entry.bookingDate ? { bookingDate: entry.bookingDate } : {}),
  };
  const { transactions } = entry;
  // A batch entry (one booking for several transfers) is split when the bank gives each
  // transfer's amount; otherwise the entry is one line and its texts are pooled.
  if (transactions.length > 1 && transactions.every((tx) => tx.amount)) {
    return transactions.map((tx, t) => ({
      id: `${statementId}:${entry.index}:${t + 1}`,
      amount: tx.amount ?? entry.amount,
      creditDebit: tx.creditDebit ?? entry.creditDebit,
      ...base,
      ...details(tx),
    }));
  }
  const line: BankLine = {
    id: `${statementId}:${entry.index}`,
    amount: entry.amount,
    creditDebit: entry.creditDebit,
    ...base,
    ...details(transactions[0]),
  };
  if (transactions.length > 1) {
    const pooled = transactions
      .flatMap((tx) => [...tx.remittanceUnstructured, ...tx.additionalRemittance])
      .join(' ');
    if (pooled) line.remittanceText = pooled;
  }
  return [line];
}

/** The lines to match, one per entry, or one per transfer of a batch entry. */
export function camtBankLines(document: CamtDocument): BankLine[] {
  return document.statements.flatMap((statement) =>
    statement.entries.flatMap((entry) => entryLines(statement.id, entry)),
  );
}
