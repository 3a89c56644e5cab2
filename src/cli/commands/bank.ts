import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { withOrg } from '../../db/connection.js';
import { formatMoney } from '../../domain/money/index.js';
import { AppError } from '../../errors.js';
import type { BankCsvMapping } from '../../ingest/bank-csv/index.js';
import { exportLettrage } from '../../services/bank/export-lettrage.js';
import { importBankStatement, MAX_BANK_STATEMENT_BYTES } from '../../services/bank/import-bank-statement.js';
import { checkPaymentPlans } from '../../services/payment-plans/track-payment-plans.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandDay, DATE_OPTION_HELP } from '../date-option.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';

export function register(program: Command): void {
  const bank = program
    .command('bank')
    .description('bank statements: import camt, CFONB 120, MT940, OFX or CSV and match payments');

  withOrgOption(
    bank
      .command('import')
      .description(
        'import a bank file (camt.052/053/054, CFONB 120, MT940, OFX, CSV): record the payments it matches, keep the rest for review',
      )
      .argument('<file>', 'the bank file'),
  )
    .option('--json', 'print the full result as JSON')
    .option(
      '--mapping <file>',
      'CSV exports: a JSON mapping of columns (date, amount or debit/credit, name, iban, text…)',
    )
    .action(
      action(async (o: { org?: string; json?: boolean; mapping?: string }, cmd: Command, args: string[]) => {
        const file = args[0] ?? '';
        let csvMapping: BankCsvMapping | undefined;
        if (o.mapping) {
          try {
            csvMapping = JSON.parse(await readFile(o.mapping, 'utf8')) as BankCsvMapping;
          } catch (e) {
            throw new AppError(
              'VALIDATION',
              `Cannot read the mapping ${o.mapping}: ${(e as Error).message}`,
              [{ field: 'mapping', value: o.mapping, reason: 'a readable JSON file' }],
            );
          }
        }
        let content: Buffer;
        try {
          content = await readFile(file);
        } catch (e) {
          throw new AppError('NOT_FOUND', `Cannot read ${file}: ${(e as Error).message}`, [
            { field: 'file', value: file, reason: 'not readable' },
          ]);
        }
        if (content.length > MAX_BANK_STATEMENT_BYTES)
          throw new AppError('VALIDATION', `${file} is larger than 20 MB`, [
            { field: 'file', reason: 'too large' },
          ]);
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const r = await importBankStatement(
            rt.handle.db,
            org.id,
            { content, filename: basename(file), ...(csvMapping ? { csvMapping } : {}) },
            { now: new Date(), actor: 'cli' },
          );
          if (o.json) {
            process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
            return;
          }
          const recorded = r.recorded.map((m) =>
            formatMoney({ amount: m.amountMinor, currency: m.currency }),
          );
          process.stdout.write(
            `${r.messageType} ${r.messageId}: ${r.lines.length} line(s) — ${r.matched} matched${
              recorded.length ? ` (${recorded.join(', ')} recorded)` : ''
            }, ${r.unmatched} to review, ${r.ignored} ignored, ${r.alreadyImported} already imported.\n`,
          );
          for (const l of r.lines.filter((x) => x.status === 'unmatched'))
            process.stdout.write(
              `  to review: ${l.bookingDate} ${formatMoney({ amount: l.amountMinor, currency: l.currency })} ${l.counterparty ?? ''} [${l.reasons.join(', ')}]\n`,
            );
        });
      }),
    );

  withOrgOption(
    bank
      .command('lettrage')
      .description('export the allocations of a period as lettered payment entries (CSV or FEC-style)')
      .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
      .requiredOption('--to <date>', 'last day, YYYY-MM-DD'),
  )
    .option('--format <format>', 'csv or fec', 'csv')
    .action(
      action(async (o: { org?: string; from: string; to: string; format: string }, cmd: Command) => {
        if (o.format !== 'csv' && o.format !== 'fec')
          throw new AppError('VALIDATION', `--format must be csv or fec, not ${o.format}`, [
            { field: 'format', value: o.format, reason: 'csv or fec' },
          ]);
        const format = o.format;
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const r = await exportLettrage(rt.handle.db, org.id, { from: o.from, to: o.to, format });
          process.stdout.write(r.content);
        });
      }),
    );

  withOrgOption(
    program
      .command('payment-plans-check')
      .description('mark instalments paid, complete paid plans, default plans with a missed instalment')
      .option('--date <YYYY-MM-DD>', DATE_OPTION_HELP),
  ).action(
    action(async (o: { org?: string; date?: string }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, o);
        const { today, now } = await commandDay(rt.handle.db, org, o.date);
        const r = await withOrg(rt.handle.db, org.id, (trx) => checkPaymentPlans(trx, org.id, today, now));
        process.stdout.write(
          `${r.completed} completed, ${r.defaulted} defaulted (${r.tasksCreated} task(s)).\n`,
        );
      });
    }),
  );
}
