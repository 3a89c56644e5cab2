import { createReadStream, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { toCsvLine } from '../../ingest/csv-export.js';
import { type FecImportSummary, importFec } from '../../services/imports/import-fec.js';
import { withRuntime } from '../context.js';
import { commandOrganisation } from '../org-option.js';
import { EXIT } from '../run-command.js';

/**
 * `relance import fec FILE`: the FEC options, added to the `import` command (which takes
 * the entity as its first argument) so every source is `relance import <source> FILE`.
 */
export interface FecCliOptions {
  receivableAccounts?: string;
  termsDays?: string;
  salesJournals?: string;
  openingJournals?: string;
  dryRun?: boolean;
  rejectReport?: string;
  org?: string;
  json?: boolean;
}

export function addFecOptions(cmd: Command): Command {
  return cmd
    .option(
      '--receivable-accounts <prefixes>',
      'FEC: receivable account prefixes, comma-separated (default 411)',
    )
    .option(
      '--terms-days <n>',
      "FEC: payment terms when the line has no DateRglt and the customer no terms (default: the organisation's)",
    )
    .option('--sales-journals <codes>', 'FEC: journal codes of sales (default: guessed from class-7 lines)')
    .option(
      '--opening-journals <codes>',
      'FEC: journal codes of opening entries (default: AN, RAN, ANO or "nouveau" in the label)',
    )
    .option('--dry-run', 'FEC: read, write and check in a transaction that is rolled back');
}

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);

const euros = (minor: number) => `${(minor / 100).toFixed(2)} €`;

function report(s: FecImportSummary): string {
  const lines = [toCsvLine(['line', 'column', 'value', 'reason'])];
  for (const e of s.errors) lines.push(toCsvLine([e.line, e.column, e.value, e.reason]));
  for (const u of s.unbalanced)
    lines.push(
      toCsvLine([
        '',
        'EcritureNum',
        `${u.journal} ${u.ecritureNum}`,
        `entry does not balance by ${euros(u.differenceMinor)}`,
      ]),
    );
  for (const m of s.reconciliation.mismatches)
    lines.push(
      toCsvLine([
        '',
        'CompAuxNum',
        m.customerRef,
        `${m.customerName}: the books say ${euros(m.booksMinor)}, Relance holds ${euros(m.relanceMinor)}`,
      ]),
    );
  for (const k of s.skipped) lines.push(toCsvLine([k.line, '', '', `skipped: ${k.reason}`]));
  return `${lines.join('\n')}\n`;
}

function print(file: string, s: FecImportSummary, reportPath: string | undefined): void {
  const out = process.stdout;
  const verdict =
    s.status === 'rejected'
      ? 'REJECTED (nothing was written)'
      : s.dryRun
        ? 'dry run (nothing kept)'
        : 'committed';
  const c = (x: { created: number; updated: number; unchanged: number }) =>
    `${x.created} new, ${x.updated} updated, ${x.unchanged} unchanged`;
  out.write(`FEC import of ${basename(file)}: ${verdict}\n`);
  out.write(
    `  dialect       ${s.dialect.separator}, ${s.dialect.encoding}, ${s.dialect.amounts}, ${s.dialect.columns} columns\n`,
  );
  out.write(`  rows read     ${s.rowsRead} (accepted ${s.accepted}, rejected ${s.rejected})\n`);
  out.write(
    `  receivable    ${s.receivableLines} lines, ${s.customers.inFile} customers (${s.customers.created} new)\n`,
  );
  out.write(
    `  journals      ${Object.entries(s.journals)
      .map(([j, t]) => `${j}=${t}`)
      .join(', ')}\n`,
  );
  out.write(
    `  invoices      ${c(s.invoices)}\n  credit notes  ${c(s.creditNotes)}\n  payments      ${c(s.payments)}\n`,
  );
  out.write(
    `  lettering     ${s.allocations.created} allocations added, ${s.allocations.removed} removed, ${s.allocations.kept} kept (${s.allocations.partialGroups} partial groups)\n`,
  );
  out.write(
    `  due dates     ${s.dueDates.fromFile} from DateRglt, ${s.dueDates.customerTerms} customer terms, ${s.dueDates.importTerms} --terms-days, ${s.dueDates.organisationTerms} organisation terms\n`,
  );
  if (s.flaggedDisappeared || s.restored)
    out.write(
      `  sync          ${s.flaggedDisappeared} lines no longer in the books (flagged), ${s.restored} back\n`,
    );
  out.write(
    `  reconciled    ${s.reconciliation.matched}/${s.reconciliation.customers} customers to the cent at ${s.lastDate ?? '—'}\n`,
  );
  for (const m of s.reconciliation.mismatches.slice(0, 5))
    out.write(
      `    ${m.customerRef} ${m.customerName}: books ${euros(m.booksMinor)}, Relance ${euros(m.relanceMinor)}\n`,
    );
  for (const u of s.unbalanced.slice(0, 5))
    out.write(`    entry ${u.journal} ${u.ecritureNum} does not balance (${euros(u.differenceMinor)})\n`);
  for (const e of s.errors.slice(0, 5))
    out.write(
      `    line ${e.line}${e.column ? `, ${e.column}` : ''}${e.value !== undefined ? `, "${e.value}"` : ''}: ${e.reason}\n`,
    );
  if (s.skipped.length > 0)
    out.write(`  skipped       ${s.skipped.length} receivable lines (see the report)\n`);
  if (reportPath) out.write(`  report        ${reportPath}\n`);
}

export async function runFecImport(file: string, o: FecCliOptions, cmd: Command): Promise<void> {
  try {
    statSync(file);
  } catch {
    throw new AppError('NOT_FOUND', `File not found: ${file}`);
  }
  let termsDays: number | undefined;
  if (o.termsDays !== undefined) {
    termsDays = Number(o.termsDays);
    if (!Number.isInteger(termsDays) || termsDays < 0 || termsDays > 365)
      throw new AppError(
        'VALIDATION',
        `--terms-days expects a whole number of days from 0 to 365, got "${o.termsDays}"`,
        [{ field: 'terms-days', value: o.termsDays, reason: 'not a number of days from 0 to 365' }],
      );
  }
  const receivable = list(o.receivableAccounts);
  const sales = list(o.salesJournals);
  const opening = list(o.openingJournals);
  const summary = await withRuntime(cmd, async (rt) => {
    const org = await commandOrganisation(rt.handle.db, o);
    return importFec(rt.handle.db, org.id, {
      input: createReadStream(file),
      filename: basename(file),
      ...(receivable ? { receivablePrefixes: receivable } : {}),
      ...(termsDays !== undefined ? { termsDays } : {}),
      ...(sales ? { salesJournals: sales } : {}),
      ...(opening ? { openingJournals: opening } : {}),
      ...(o.dryRun ? { dryRun: true } : {}),
    });
  });
  let reportPath: string | undefined;
  if (
    summary.errors.length +
      summary.unbalanced.length +
      summary.reconciliation.mismatches.length +
      summary.skipped.length >
    0
  ) {
    reportPath = o.rejectReport ?? `${file}.rejects.csv`;
    await writeFile(reportPath, report(summary));
  }
  if (o.json) process.stdout.write(`${JSON.stringify({ ...summary, report: reportPath }, null, 2)}\n`);
  else print(file, summary, reportPath);
  if (summary.status === 'rejected') process.exitCode = EXIT.rowsRejected;
}
