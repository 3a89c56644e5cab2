import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { withOrg } from '../../db/connection.js';
import { listRateRows } from '../../db/queries/rates.js';
import { builtInRates, mergeRates, type RateTable } from '../../domain/law/rate-table.js';
import {
  BUILT_IN_RATES_VERSION,
  isRateSeries,
  RATE_SERIES,
  type RateSeries,
} from '../../domain/law/rates/index.js';
import { AppError } from '../../errors.js';
import { importRates } from '../../services/law/import-rates.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';

export interface RatesIo {
  write(text: string): void;
}

const defaultIo: RatesIo = { write: (text) => process.stdout.write(text) };

function seriesOption(value: string | undefined): RateSeries | undefined {
  if (value === undefined) return undefined;
  const s = value.toUpperCase();
  if (!isRateSeries(s)) {
    throw new AppError(
      'VALIDATION',
      `--series: unknown series "${value}" (known: ${RATE_SERIES.join(', ')})`,
      [{ field: 'series', value, reason: 'unknown series' }],
    );
  }
  return s;
}

function renderTable(table: RateTable, series: RateSeries | undefined): string {
  const lines: string[] = [];
  for (const s of series ? [series] : RATE_SERIES) {
    lines.push(`${s} (known through ${table.knownThrough(s) ?? '-'})`);
    for (const r of table.rows(s)) {
      const flags = [
        r.origin === 'organisation' ? 'org' : '',
        r.status === 'unverified' || r.provisional ? 'UNVERIFIED' : r.status,
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(`  ${r.effectiveFrom}  ${r.rate.padStart(6)} %${flags ? `  [${flags}]` : ''}  ${r.source}`);
    }
    for (const g of table.gaps(s)) lines.push(`  ${g.period}  NOT FOUND (no rate applied): ${g.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command, io: RatesIo = defaultIo): void {
  const rates = program
    .command('rates')
    .description(
      'reference rates used for late-payment interest (ECB, taux légal, Basiszinssatz, Bank Rate)',
    );

  withOrgOption(
    rates
      .command('import <file>')
      .description(
        'load rate rows from a CSV file: a verified table (*.verified.csv) or series,effective_from,rate,source[,status] (all or nothing)',
      )
      .addHelpText(
        'after',
        `\nSeries: ${RATE_SERIES.join(', ')}. A row replaces the built-in one for the same series and date;` +
          '\nto confirm a central-bank rate is still in force on a reference date (1 Jan / 1 Jul), add a row dated that day.',
      ),
  ).action(
    action(async (o: { org?: string }, cmd: Command, args: string[]) => {
      const file = args[0] ?? '';
      const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw new AppError('VALIDATION', `file: cannot read "${file}": ${e.code ?? e.message}`, [
          { field: 'file', value: file, reason: e.message },
        ]);
      });
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, o);
        const r = await importRates(rt.handle.db, org.id, text);
        io.write(
          `Loaded ${r.rows} rate row(s) for ${org.slug} (${r.series.join(', ')}): ` +
            `${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged.\n`,
        );
        for (const g of r.gaps)
          io.write(`Not loaded: ${g.series} ${g.period} has no figure (status unverified): ${g.reason}\n`);
        if (r.unverified > 0)
          io.write(
            `${r.unverified} row(s) are unverified: statements and letters using them are flagged until confirmed.\n`,
          );
      });
    }),
  );

  withOrgOption(
    rates
      .command('list')
      .description(`show the rate rows the engine uses (built-in data ${BUILT_IN_RATES_VERSION})`)
      .option('--series <series>', RATE_SERIES.join(', '))
      .option('--json', 'print as JSON'),
  ).action(
    action(async (o: { org?: string; series?: string; json?: boolean }, cmd: Command) => {
      const series = seriesOption(o.series);
      const table = o.org
        ? await withRuntime(cmd, async (rt) => {
            const org = await commandOrganisation(rt.handle.db, o);
            return mergeRates(await withOrg(rt.handle.db, org.id, (trx) => listRateRows(trx, org.id)));
          })
        : builtInRates();
      io.write(o.json ? `${JSON.stringify(table.rows(series), null, 2)}\n` : renderTable(table, series));
    }),
  );
}
