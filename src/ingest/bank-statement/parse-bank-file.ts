import { AppError } from '../../errors.js';
import { type BankCsvMapping, parseBankCsv } from '../bank-csv/index.js';
import { camtBankLines, parseCamt } from '../camt/index.js';
import type { CamtBalance, CamtDocument } from '../camt/types.js';
import { isCfonb120, parseCfonb120 } from '../cfonb/index.js';
import { isMt940, parseMt940 } from '../mt940/index.js';
import { isOfx, parseOfx } from '../ofx/index.js';
import { checkBalances } from './balances.js';
import type { BankFileFormat, ParsedBankFile, StatedBalance } from './types.js';

const signed = (b: CamtBalance | undefined): StatedBalance | undefined =>
  b
    ? {
        amountMinor: b.creditDebit === 'DBIT' ? -b.amount.amount : b.amount.amount,
        ...(b.date ? { date: b.date } : {}),
      }
    : undefined;

/** camt in the common shape: booked opening (OPBD, else PRCD) and closing (CLBD) balances. */
export function fromCamt(doc: CamtDocument): ParsedBankFile {
  return {
    format: doc.messageType,
    messageId: doc.messageId,
    statements: doc.statements.map((s) => {
      const lines = camtBankLines({ ...doc, statements: [s] });
      const opening = signed(
        s.balances.find((b) => b.type === 'OPBD') ?? s.balances.find((b) => b.type === 'PRCD'),
      );
      const closing = signed(s.balances.find((b) => b.type === 'CLBD'));
      const currency =
        s.account.currency ?? s.balances[0]?.amount.currency ?? s.entries[0]?.amount.currency ?? 'EUR';
      // Balances in another currency than the entries (seen in test files) cannot be compared.
      const comparable =
        s.balances
          .filter((b) => b.type === 'OPBD' || b.type === 'CLBD' || b.type === 'PRCD')
          .every((b) => b.amount.currency === currency) &&
        s.entries.every((e) => e.amount.currency === currency);
      return {
        id: s.id,
        ...(s.account.iban || s.account.otherId ? { account: s.account.iban ?? s.account.otherId } : {}),
        currency,
        ...(opening && comparable ? { opening } : {}),
        ...(closing && comparable ? { closing } : {}),
        lines,
      };
    }),
  };
}

export function detectBankFormat(content: Buffer): BankFileFormat | 'camt' | undefined {
  const head = content.subarray(0, 4000).toString('latin1');
  if (/<Document[\s>]/.test(head) || /camt\.05[234]/.test(head)) return 'camt';
  if (isOfx(head)) return 'ofx';
  if (isCfonb120(head)) return 'cfonb120';
  if (isMt940(content.toString('latin1'))) return 'mt940';
  if (/[;,\t]/.test(head.split(/\r?\n/)[0] ?? '')) return 'csv';
  return undefined;
}

/**
 * Read any supported bank file (camt.052/053/054, CFONB 120, MT940, OFX, CSV with a mapping)
 * into statements of matching lines, and refuse it when a statement's movements do not lead
 * from its opening balance to its closing balance.
 */
export function parseBankFile(
  content: Buffer,
  opts: { filename?: string | null; format?: BankFileFormat | 'camt'; csvMapping?: BankCsvMapping } = {},
): ParsedBankFile {
  const format = opts.format ?? detectBankFormat(content);
  let file: ParsedBankFile;
  if (format === 'camt' || format === 'camt.052' || format === 'camt.053' || format === 'camt.054')
    file = fromCamt(parseCamt(content));
  else if (format === 'cfonb120') file = parseCfonb120(content);
  else if (format === 'mt940') file = parseMt940(content);
  else if (format === 'ofx') file = parseOfx(content);
  else if (format === 'csv') file = parseBankCsv(content, opts.csvMapping ?? {}, opts.filename ?? 'file.csv');
  else
    throw new AppError('IMPORT_REJECTED', 'Unknown bank file format', [
      {
        field: 'file',
        reason: 'expected camt.052/053/054 XML, CFONB 120, MT940, OFX or CSV',
      },
    ]);
  checkBalances(file);
  return file;
}
