import type { Command } from 'commander';
import { computePenalties } from '../../domain/law/penalties.js';
import { builtInRates } from '../../domain/law/rate-table.js';
import { renderStatementText } from '../../domain/law/statement-text.js';
import type { PaymentInput, PenaltyInput, PenaltyStatement } from '../../domain/law/types.js';
import { isCurrency, type Money, MoneyParseError, parseAmount } from '../../domain/money/index.js';
import { AppError } from '../../errors.js';
import { action } from '../action.js';
import { withOrgOption } from '../org-option.js';

export interface PenaltiesOptions {
  jurisdiction: string;
  kind: string;
  amount: string;
  currency?: string;
  due: string;
  until?: string;
  payment: string[];
  rateClause?: string;
  noticeDate?: string;
  dayCount?: string;
  waivePenalties?: boolean;
  waiveIndemnity?: boolean;
  org?: string;
  json?: boolean;
}

export interface CommandIo {
  write(text: string): void;
  /** Today's date (YYYY-MM-DD) for the default end date; injected so tests are deterministic. */
  today(): string;
}

const defaultIo: CommandIo = {
  write: (text) => process.stdout.write(text),
  today: () => new Date().toISOString().slice(0, 10),
};

function amountOf(text: string, currency: string, field: string): Money {
  try {
    return parseAmount(text, currency);
  } catch (e) {
    if (e instanceof MoneyParseError) {
      throw new AppError('VALIDATION', `${field}: ${e.message}`, [{ field, value: text, reason: e.message }]);
    }
    throw e;
  }
}

/** Turn the command's flags into the engine's input; every parse error names its flag. */
export function penaltyInputFromOptions(o: PenaltiesOptions, today: string): PenaltyInput {
  const jurisdiction = o.jurisdiction.toUpperCase();
  const currency = (
    o.currency ?? (jurisdiction === 'GB' || jurisdiction === 'UK' ? 'GBP' : 'EUR')
  ).toUpperCase();
  if (!isCurrency(currency)) {
    throw new AppError('VALIDATION', `--currency: unknown currency "${o.currency}"`, [
      { field: 'currency', value: currency, reason: 'unknown currency' },
    ]);
  }
  const payments: PaymentInput[] = o.payment.map((p, i) => {
    const at = p.indexOf(':');
    if (at < 0) {
      throw new AppError('VALIDATION', `--payment: "${p}" must be DATE:AMOUNT, e.g. 2025-06-15:4000.00`, [
        { field: `payments[${i}]`, value: p, reason: 'expected DATE:AMOUNT' },
      ]);
    }
    return { date: p.slice(0, at), amount: amountOf(p.slice(at + 1), currency, `payments[${i}].amount`) };
  });
  return {
    jurisdiction,
    kind: o.kind,
    principal: amountOf(o.amount, currency, 'amount'),
    dueDate: o.due,
    until: o.until ?? today,
    payments,
    ...(o.rateClause !== undefined ? { contractualRate: o.rateClause } : {}),
    ...(o.noticeDate !== undefined ? { noticeDate: o.noticeDate } : {}),
    ...(o.dayCount !== undefined ? { dayCount: o.dayCount } : {}),
    waivePenalties: o.waivePenalties === true,
    waiveIndemnity: o.waiveIndemnity === true,
  };
}

/**
 * Built-in rates need no database, so the calculator stays fast; with --org the
 * organisation's imported rows are merged in.
 */
async function statementFor(
  o: PenaltiesOptions,
  input: PenaltyInput,
  cmd: Command,
): Promise<PenaltyStatement> {
  if (!o.org) return computePenalties(input, builtInRates());
  // Loaded only here: the database, migrations and demo seeding are not needed without --org.
  const [{ withRuntime }, { commandOrganisation }, { computePenalties: computeWithOrgRates }] =
    await Promise.all([
      import('../context.js'),
      import('../org-option.js'),
      import('../../services/law/compute-penalties.js'),
    ]);
  return withRuntime(cmd, async (rt) => {
    const org = await commandOrganisation(rt.handle.db, o);
    return computeWithOrgRates(rt.handle.db, org.id, input);
  });
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command, io: CommandIo = defaultIo): void {
  const cmd = program
    .command('penalties')
    .description('Compute late-payment interest and the fixed indemnity for one invoice, line by line')
    .requiredOption('--jurisdiction <code>', 'FR, DE, GB (or UK) or EU')
    .option('--kind <kind>', 'b2b or b2c', 'b2b')
    .requiredOption('--amount <amount>', 'principal, e.g. 10000.00')
    .option('--currency <code>', 'ISO currency (default EUR, GBP for GB)')
    .requiredOption('--due <date>', 'due date YYYY-MM-DD')
    .option('--until <date>', 'compute to this date (default today)')
    .option('--payment <date:amount>', 'a part payment, repeatable: 2025-06-15:4000.00', collect, [])
    .option('--rate-clause <percent>', 'contractual late-payment rate, percent a year')
    .option('--notice-date <date>', 'date of the formal notice (mise en demeure)')
    .option('--day-count <convention>', 'act/365 (default), act/366-leap or 30/360')
    .option('--waive-penalties', 'the organisation waives the interest for this invoice')
    .option('--waive-indemnity', 'the organisation waives the fixed indemnity for this invoice')
    .option('--json', 'print the statement as JSON');
  withOrgOption(cmd).addHelpText(
    'after',
    "\nWithout --org the built-in rate tables are used and no database is opened; with --org the organisation's imported rows (relance rates import) are merged in.",
  );
  cmd.action(
    action(async (o: PenaltiesOptions, c: Command) => {
      const input = penaltyInputFromOptions(o, io.today());
      const statement = await statementFor(o, input, c);
      io.write(o.json ? `${JSON.stringify(statement, null, 2)}\n` : renderStatementText(statement));
    }),
  );
}
