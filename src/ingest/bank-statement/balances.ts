import { AppError } from '../../errors.js';
import { formatMinor } from './amount.js';
import type { ParsedBankFile, ParsedStatement } from './types.js';

/** Signed movement of a line: credits add, debits subtract. */
export function signedMinor(line: ParsedStatement['lines'][number]): number {
  return line.creditDebit === 'DBIT' ? -line.amount.amount : line.amount.amount;
}

/**
 * Refuse a statement whose movements do not lead from its opening balance to its closing
 * balance: lines are missing, doubled or misread, and matching them would record wrong money.
 * Statements that state only one balance (OFX, camt.054 notifications) cannot be checked.
 */
export function checkBalances(file: ParsedBankFile): void {
  for (const s of file.statements) {
    if (!s.opening || !s.closing) continue;
    const movements = s.lines.reduce((sum, l) => sum + signedMinor(l), 0);
    const expected = s.opening.amountMinor + movements;
    if (expected !== s.closing.amountMinor) {
      const f = (m: number) => formatMinor(m, s.currency);
      throw new AppError(
        'IMPORT_REJECTED',
        `Statement ${s.id} does not add up: opening ${f(s.opening.amountMinor)} + movements ${f(movements)} = ${f(expected)}, but the closing balance is ${f(s.closing.amountMinor)} (difference ${f(s.closing.amountMinor - expected)})`,
        [
          {
            field: `statement ${s.id}`,
            value: f(s.closing.amountMinor),
            reason: `opening ${f(s.opening.amountMinor)} + ${s.lines.length} movements ${f(movements)} = ${f(expected)}`,
            code: 'balance_mismatch',
          },
        ],
        {
          statementId: s.id,
          openingMinor: s.opening.amountMinor,
          movementsMinor: movements,
          expectedClosingMinor: expected,
          closingMinor: s.closing.amountMinor,
          currency: s.currency,
        },
      );
    }
  }
}
