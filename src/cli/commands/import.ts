import { createReadStream, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { Argument, type Command, Option } from 'commander';
import type { ImportEntity, ImportMode } from '../../db/schema/imports.js';
import { AppError } from '../../errors.js';
import { toCsvLine } from '../../ingest/csv-export.js';
import { loadMappingOptions } from '../../ingest/mapping.js';
import { dateWindowAround, importFile } from '../../services/imports/import-file.js';
import type { ImportRowError, ImportSummary } from '../../services/imports/types.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';
import { progressBar } from '../progress.js';
import { EXIT } from '../run-command.js';
import { addFecOptions, type FecCliOptions, runFecImport } from './import-fec.js';

interface ImportCliOptions {
  mode: ImportMode;
  map: string[];
  mapping?: string;
  rejectReport?: string;
  format?: 'csv' | 'xlsx';
  org?: string;
  json?: boolean;
  createCustomers?: boolean;
  dateFormat?: string;
  decimalSeparator?: string;
}

/** `--map "N° facture=invoiceNumber"`, repeatable. */
export function parseMapFlags(flags: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.lastIndexOf('=');
    const source = flag.slice(0, at).trim();
    const field = flag.slice(at + 1).trim();
    if (at <= 0 || !source || !field) {
      throw new AppError('VALIDATION', `--map expects "Source header=field", got "${flag}"`, [
        { field: 'map', value: flag, reason: 'missing "=" between the header and the field' },
      ]);
    }
    out[source] = field;
  }
  return out;
}

/** The reject report: one line per error, cells neutralised against formula injection. */
export function rejectReportCsv(errors: ImportRowError[]): string {
  // Every text cell quoted: safe to open in a spreadsheet whatever separator it splits on.
  const lines = [toCsvLine(['line', 'column', 'field', 'value', 'reason'], ',', true)];
  for (const e of errors) lines.push(toCsvLine([e.line, e.column, e.field, e.value, e.reason], ',', true));
  return `${lines.join('\n')}\n`;
}

function printSummary(file: string, s: ImportSummary, reportPath: string | undefined): void {
  const out = process.stdout;
  const verdict =
    s.status === 'rejected'
      ? 'REJECTED (all-or-nothing: nothing was written)'
      : s.rejected > 0
        ? 'committed with rejected rows'
        : 'committed';
  out.write(`Import of ${s.entity} from ${basename(file)}: ${verdict}\n`);
  out.write(`  rows read  ${s.rowsRead}\n`);
  out.write(`  accepted   ${s.accepted}\n`);
  out.write(
    `  rejected   ${s.rejected}${s.rowsWithErrors !== undefined && s.rowsWithErrors !== s.rejected ? ` (${s.rowsWithErrors} with errors)` : ''}\n`,
  );
  out.write(`  created    ${s.created}\n  updated    ${s.updated}\n  unchanged  ${s.unchanged}\n`);
  if (s.customersCreated) out.write(`  customers created from invoice rows: ${s.customersCreated}\n`);
  if (s.disputesOpened) out.write(`  disputes opened from the disputed column: ${s.disputesOpened}\n`);
  for (const [column, d] of Object.entries(s.dateColumns ?? {}))
    out.write(`  dates      ${column} read ${d.order} (decided by ${d.decidedBy})\n`);
  const mapped = Object.entries(s.columns).map(([h, f]) => `${h} → ${f}`);
  if (mapped.length > 0) out.write(`  columns    ${mapped.join(', ')}\n`);
  if (s.ignoredColumns && s.ignoredColumns.length > 0)
    out.write(`  ignored    ${s.ignoredColumns.join(', ')}\n`);
  if (reportPath) {
    out.write(`  ${s.errors.length} error(s) written to ${reportPath}\n`);
    for (const e of s.errors.slice(0, 5)) {
      const where = [
        `line ${e.line}`,
        e.column ?? e.field,
        e.value !== undefined ? `"${e.value}"` : undefined,
      ]
        .filter(Boolean)
        .join(', ');
      out.write(`    ${where}: ${e.reason}\n`);
    }
    if (s.errors.length > 5) out.write(`    … and ${s.errors.length - 5} more in the report\n`);
  }
  out.write(`  batch      ${s.batchId}\n`);
}

export function register(program: Command): void {
  withOrgOption(
    program
      .command('import')
      .description('import customers, invoices, payments or credit notes from a CSV or XLSX file')
      .addArgument(
        new Argument('<entity>', 'what the file holds').choices([
          'customers',
          'invoices',
          'payments',
          'credit-notes',
          'fec',
        ]),
      )
      .argument('<file>', 'CSV (, ; or tab; UTF-8 or Windows-1252) or XLSX file'),
  )
    .addOption(
      new Option('--mode <mode>', 'all-or-nothing, or keep the valid rows')
        .choices(['all-or-nothing', 'accept-valid'])
        .default('all-or-nothing'),
    )
    .option(
      '--map <header=field>',
      'map a source column to a field, e.g. --map "Réf. client=customerRef" (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--mapping <file.json>', 'column mapping file: {"Source header": "field", …}')
    .option('--reject-report <file>', 'where to write rejected rows (default: FILE.rejects.csv)')
    .addOption(
      new Option('--format <format>', 'file format (default: from the name)').choices(['csv', 'xlsx']),
    )
    .option('--json', 'print the summary as JSON')
    .option(
      '--create-customers',
      'invoices: create the customer of an unknown reference from the name on the row (off by default)',
    )
    .option(
      '--date-format <format>',
      'how the file writes dates: DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD (default: decided per column from the whole file)',
    )
    .option('--decimal-separator <char>', 'decimal separator of the amounts: "." or ","')
    .addHelpText(
      'after',
      '\nFrench headers map out of the box ("N° facture", "Date d\'échéance", "Montant TTC", …).\n' +
        `Exit status: ${EXIT.ok} all rows accepted, ${EXIT.rowsRejected} some rows rejected (see the reject report).`,
    )
    .action(
      action(async (o: ImportCliOptions & FecCliOptions, cmd: Command, args: string[]) => {
        if (args[0] === 'fec') return runFecImport(args[1] ?? '', o, cmd);
        const entity = args[0] as ImportEntity;
        const file = args[1] ?? '';
        let size: number;
        try {
          size = statSync(file).size;
        } catch {
          throw new AppError('NOT_FOUND', `File not found: ${file}`);
        }
        const mappingFile = o.mapping ? await loadMappingOptions(o.mapping) : undefined;
        const mapping = { ...(mappingFile?.columns ?? {}), ...parseMapFlags(o.map) };
        // The command line wins over the mapping file.
        const dateFormat = o.dateFormat ?? mappingFile?.dateFormat;
        const decimalSeparator = o.decimalSeparator ?? mappingFile?.decimalSeparator;
        const summary = await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const bar = progressBar(`import ${entity}`, size, 'bytes', ' | {rows} rows');
          let bytes = 0;
          let rows = 0;
          // Counts bytes as they stream, so the bar moves with the file, not with a guess of rows.
          const counter = new Transform({
            transform(chunk: Buffer, _enc, done) {
              bytes += chunk.length;
              bar.update(bytes, { rows });
              done(null, chunk);
            },
          });
          const input = createReadStream(file).pipe(counter);
          try {
            return await importFile(rt.handle.db, org.id, {
              entity,
              input,
              filename: basename(file),
              ...(o.format ? { format: o.format } : {}),
              mode: o.mode,
              mapping,
              actor: 'cli',
              createCustomers: o.createCustomers === true,
              ...(dateFormat ? { dateFormat } : {}),
              ...(decimalSeparator ? { decimalSeparator } : {}),
              dateWindow: dateWindowAround(
                new Date(),
                rt.config.RELANCE_IMPORT_YEARS_BACK,
                rt.config.RELANCE_IMPORT_YEARS_AHEAD,
              ),
              onProgress: (n) => {
                rows = n;
                bar.update(bytes, { rows });
              },
            });
          } finally {
            bar.stop();
          }
        });
        let reportPath: string | undefined;
        if (summary.errors.length > 0) {
          reportPath = o.rejectReport ?? `${file}.rejects.csv`;
          await writeFile(reportPath, rejectReportCsv(summary.errors));
        }
        if (o.json)
          process.stdout.write(`${JSON.stringify({ ...summary, rejectReport: reportPath }, null, 2)}\n`);
        else printSummary(file, summary, reportPath);
        if (summary.rejected > 0 || summary.status === 'rejected') process.exitCode = EXIT.rowsRejected;
      }),
    );
  // `relance import fec FILE` (src/cli/commands/import-fec.ts).
  const importCommand = program.commands.find((c) => c.name() === 'import');
  if (importCommand) addFecOptions(importCommand);
}
