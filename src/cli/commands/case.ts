import { type Command, Option } from 'commander';
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import type { Organisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { type IsoDate, zonedParts } from '../../domain/calendar/index.js';
import { formatMoney, MoneyParseError, parseAmount } from '../../domain/money/index.js';
import { AppError } from '../../errors.js';
import { closePromise, type PromiseClosing } from '../../services/cases/close-promise.js';
import { endPause } from '../../services/cases/end-pause.js';
import { pauseCustomer } from '../../services/cases/pause-customer.js';
import { type DisputeOutcome, resolveDispute } from '../../services/cases/resolve-dispute.js';
import { setCreditHold } from '../../services/cases/set-credit-hold.js';
import type { Actor } from '../../services/worklist/actor.js';
import { action } from '../action.js';
import {
  type CaseCustomer,
  caseCustomer,
  caseDispute,
  casePause,
  casePromise,
  describePause,
} from '../case-targets.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';

interface CaseOptions {
  customer: string;
  org?: string;
  json?: boolean;
}

/** The command line has no signed-in user or API key: the records and evidence say "cli". */
const CLI_ACTOR: Actor = { cli: true };

interface CaseScope {
  trx: Kysely<Database>;
  org: Organisation;
  customer: CaseCustomer;
  now: Date;
  /** The organisation's business date, which pauses and promises are counted in. */
  today: IsoDate;
}

/**
 * Find the customer and run the use case in one organisation-scoped transaction, so the
 * record chosen is the one the use case locks and changes.
 */
async function inCase<T>(cmd: Command, o: CaseOptions, fn: (s: CaseScope) => Promise<T>): Promise<T> {
  return withRuntime(cmd, async (rt) => {
    const org = await commandOrganisation(rt.handle.db, o);
    const now = new Date();
    return withOrg(rt.handle.db, org.id, async (trx) => {
      const customer = await caseCustomer(trx, org.id, o.customer);
      return fn({ trx, org, customer, now, today: zonedParts(now, org.time_zone).date });
    });
  });
}

function report(o: CaseOptions, result: object, line: string): void {
  process.stdout.write(
    o.json ? `${JSON.stringify({ customer: o.customer, ...result }, null, 2)}\n` : `${line}\n`,
  );
}

/** Every case command names the customer by reference, like the other commands. */
function caseCommand(parent: Command, name: string, description: string): Command {
  return withOrgOption(parent.command(name).description(description))
    .requiredOption('--customer <ref>', "the customer's reference (external_ref, code client)")
    .option('--json', 'print the result as JSON');
}

/** `--credit-note 250,00`: an amount in the invoice's currency, as written on a document. */
function creditNoteMinor(text: string | undefined, currency: string): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseAmount(text, currency).amount;
  } catch (e) {
    if (e instanceof MoneyParseError) {
      throw new AppError('VALIDATION', `--credit-note: ${e.message}`, [
        { field: 'credit-note', value: text, reason: e.message },
      ]);
    }
    throw e;
  }
}

export function register(program: Command): void {
  const kase = program
    .command('case')
    .description("act on a customer's case: pauses, promises to pay, disputes, credit hold");

  caseCommand(kase, 'pause', "pause dunning of the customer's whole account up to a date (inclusive)")
    .requiredOption('--until <date>', 'last paused day, YYYY-MM-DD (at most 366 days ahead)')
    .requiredOption('--reason <text>', 'why, as the evidence file will read it')
    .action(
      action(async (o: CaseOptions & { until: string; reason: string }, cmd: Command) => {
        const r = await inCase(cmd, o, (s) =>
          pauseCustomer(
            s.trx,
            s.org.id,
            s.customer.id,
            { until: o.until, reason: o.reason },
            CLI_ACTOR,
            s.now,
          ),
        );
        report(o, r, `Dunning of ${o.customer} paused until ${r.until} inclusive (pause ${r.pauseId}).`);
      }),
    );

  caseCommand(kase, 'end-pause', 'end a pause before its date: the items are plannable again at once')
    .option('--pause <id>', 'which pause, when the customer has several')
    .option('--reason <text>', 'why it ends early')
    .action(
      action(async (o: CaseOptions & { pause?: string; reason?: string }, cmd: Command) => {
        const { r, what } = await inCase(cmd, o, async (s) => {
          const pause = await casePause(s.trx, s.org.id, s.customer, o.pause, s.today);
          const r = await endPause(s.trx, s.org.id, pause.id, { reason: o.reason }, CLI_ACTOR, s.now);
          return { r, what: describePause(pause) };
        });
        report(o, r, `Pause of ${o.customer} (${what}) ended: dunning resumes with the next run.`);
      }),
    );

  caseCommand(kase, 'close-promise', 'close an active promise to pay: kept, broken or cancelled')
    .addOption(
      new Option('--status <status>', 'kept (paid), broken (will not pay: a task follows) or cancelled')
        .choices(['kept', 'broken', 'cancelled'])
        .makeOptionMandatory(),
    )
    .requiredOption('--reason <text>', 'why, as the evidence file will read it')
    .option('--promise <id>', 'which promise, when the customer has several active')
    .action(
      action(
        async (
          o: CaseOptions & { status: PromiseClosing; reason: string; promise?: string },
          cmd: Command,
        ) => {
          const { r, promised } = await inCase(cmd, o, async (s) => {
            const promise = await casePromise(s.trx, s.org.id, s.customer, o.promise);
            const r = await closePromise(
              s.trx,
              s.org.id,
              promise.id,
              { status: o.status, reason: o.reason },
              CLI_ACTOR,
              s.now,
            );
            return { r, promised: promise.promised_date };
          });
          const task = r.followUpTaskId ? '; a follow-up task was created' : '';
          report(o, r, `Promise to pay of ${o.customer} for ${promised} closed as ${r.status}${task}.`);
        },
      ),
    );

  caseCommand(kase, 'resolve-dispute', 'settle a dispute: upheld (optionally with a credit note) or rejected')
    .addOption(
      new Option(
        '--outcome <outcome>',
        'upheld (the debtor was right) or rejected (the invoice is due again)',
      )
        .choices(['upheld', 'rejected'])
        .makeOptionMandatory(),
    )
    .requiredOption('--reason <text>', 'why, as the evidence file will read it')
    .option('--invoice <number>', 'the disputed invoice, when the customer has several open disputes')
    .option('--comment <text>', 'a longer note kept with the resolution')
    .option('--credit-note <amount>', 'upheld only: issue a credit note of this amount, e.g. 250,00')
    .action(
      action(
        async (
          o: CaseOptions & {
            outcome: DisputeOutcome;
            reason: string;
            invoice?: string;
            comment?: string;
            creditNote?: string;
          },
          cmd: Command,
        ) => {
          const r = await inCase(cmd, o, async (s) => {
            const dispute = await caseDispute(s.trx, s.org.id, s.customer, o.invoice);
            const creditNoteAmountMinor = creditNoteMinor(o.creditNote, dispute.currency.trim());
            return resolveDispute(
              s.trx,
              s.org.id,
              dispute.id,
              { outcome: o.outcome, reason: o.reason, comment: o.comment, creditNoteAmountMinor },
              CLI_ACTOR,
              s.now,
            );
          });
          const credit = r.creditNote
            ? `, credit note ${r.creditNote.creditNoteNumber} of ${formatMoney({ amount: r.creditNote.amountMinor, currency: r.creditNote.currency })}`
            : '';
          const due = formatMoney({ amount: r.balanceMinor, currency: r.currency });
          report(
            o,
            r,
            `Dispute on invoice ${r.invoiceNumber} of ${o.customer} ${o.outcome}${credit}; balance due ${due}.`,
          );
        },
      ),
    );

  for (const hold of [true, false]) {
    caseCommand(
      kase,
      hold ? 'credit-hold' : 'release-hold',
      hold ? 'put the customer on credit hold (no new deliveries on credit)' : 'release the credit hold',
    )
      .requiredOption('--reason <text>', 'why, as the evidence file will read it')
      .action(
        action(async (o: CaseOptions & { reason: string }, cmd: Command) => {
          const r = await inCase(cmd, o, (s) =>
            setCreditHold(s.trx, s.org.id, s.customer.id, { hold, reason: o.reason }, CLI_ACTOR, s.now),
          );
          report(o, r, hold ? `${o.customer} is on credit hold.` : `Credit hold of ${o.customer} released.`);
        }),
      );
  }
}
