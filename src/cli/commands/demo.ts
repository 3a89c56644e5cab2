import type { Command } from 'commander';
import { listOrganisations, type Organisation } from '../../db/queries/organisations.js';
import { firstCustomerId } from '../../demo/generate-portfolio.js';
import { createDemoOrganisation, demoToday, populateDemo } from '../../demo/seed.js';
import { isIsoDate } from '../../domain/calendar/index.js';
import { AppError } from '../../errors.js';
import { resolveOrganisation } from '../../services/organisations/resolve-organisation.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { withOrgOption } from '../org-option.js';
import { type Progress, progressBar } from '../progress.js';

interface DemoOptions {
  customers: string;
  invoices: string;
  seed: string;
  org?: string;
  new?: boolean;
  today?: string;
  json?: boolean;
}

function positiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new AppError('VALIDATION', `--${name} must be a whole number between 0 and ${max}`, [
      { field: name, value, reason: 'not a whole number in range' },
    ]);
  }
  return n;
}

export function register(program: Command): void {
  withOrgOption(
    program
      .command('demo')
      .description(
        'generate a realistic demo portfolio (customers, invoices, payments, credit notes, disputes)',
      ),
  )
    .option('--customers <n>', 'number of customers', '300')
    .option('--invoices <n>', 'number of invoices over the last 18 months', '3000')
    .option('--seed <n>', 'random seed: the same seed gives the same portfolio', '1')
    .option('--new', 'create a new demo organisation instead of filling an existing one')
    .option('--today <date>', "the generator's today (YYYY-MM-DD), default: today in Paris")
    .option('--json', 'print the summary as JSON')
    .action(
      action(async (o: DemoOptions, cmd: Command) => {
        const customers = positiveInt('customers', o.customers, 5_000_000);
        const invoices = positiveInt('invoices', o.invoices, 50_000_000);
        const seed = positiveInt('seed', o.seed, 2 ** 31 - 1);
        if (invoices > 0 && customers === 0) {
          throw new AppError('VALIDATION', '--invoices needs at least one customer (--customers)');
        }
        if (o.today && !isIsoDate(o.today)) {
          throw new AppError('VALIDATION', `--today must be a date YYYY-MM-DD, got "${o.today}"`);
        }
        if (o.new && o.org) throw new AppError('VALIDATION', 'Use either --org or --new, not both');
        await withRuntime(cmd, async (rt) => {
          const db = rt.handle.db;
          let org: Organisation;
          if (o.new || (!o.org && (await listOrganisations(db)).length === 0)) {
            org = await createDemoOrganisation(db);
          } else {
            org = await resolveOrganisation(db, o.org);
          }
          // A second portfolio in the same organisation gets its own numbers (S<seed>-…);
          // the same seed again writes the same ids, which the writer skips.
          const has = async (id: string | undefined) =>
            (await db
              .selectFrom('customers')
              .select('id')
              .where('org_id', '=', org.id)
              .$if(id !== undefined, (q) => q.where('id', '=', id ?? ''))
              .executeTakeFirst()) !== undefined;
          const prefix = !(await has(undefined)) || (await has(firstCustomerId(seed))) ? '' : `S${seed}-`;
          const started = Date.now();
          let bar: Progress | undefined;
          const counts = await populateDemo(
            db,
            org.id,
            { customers, invoices, seed, today: o.today ?? demoToday(), prefix },
            (written, total) => {
              bar ??= progressBar('demo', total, 'rows');
              bar.update(written);
            },
          );
          bar?.stop();
          const seconds = (Date.now() - started) / 1000;
          if (o.json) {
            process.stdout.write(`${JSON.stringify({ org: org.slug, seconds, ...counts }, null, 2)}\n`);
            return;
          }
          process.stdout.write(
            `Demo portfolio written to "${org.legal_name}" (slug: ${org.slug}) in ${seconds.toFixed(1)} s:\n` +
              `  ${counts.customers} customers, ${counts.contacts} contacts, ${counts.invoices} invoices ` +
              `(${counts.instalments} instalments), ${counts.creditNotes} credit notes, ` +
              `${counts.payments} payments, ${counts.allocations} allocations\n` +
              (counts.invoices < invoices
                ? '  (rows already present from the same seed were skipped)\n'
                : ''),
          );
        });
      }),
    );
}
