import { type DateOrder, DateOrderInference, parseDateFormatOption } from '../../domain/import/date-order.js';
import { type DecimalSeparator, parseDecimalSeparatorOption } from '../../domain/import/decimal-separator.js';
import { CellError } from '../../domain/import/parse.js';
import { AppError } from '../../errors.js';
import type { SourceRow } from '../../ingest/types.js';
import type { ImportSummary } from './types.js';

/** Canonical fields that hold a date, whatever the entity. */
export const DATE_FIELDS = ['issueDate', 'dueDate', 'performanceDate', 'settledDate', 'receivedOn'] as const;

export type DateColumns = NonNullable<ImportSummary['dateColumns']>;
const WORD = { dmy: 'day/month', mdy: 'month/day' } as const;

/** --date-format / the mapping file's "dateFormat", or a VALIDATION error naming the option. */
export function dateFormatOption(raw: string): DateOrder | 'iso' {
  const r = parseDateFormatOption(raw);
  if (r instanceof CellError) {
    throw new AppError('VALIDATION', `--date-format "${raw}": ${r.reason}`, [
      { field: 'dateFormat', value: raw, reason: r.reason },
    ]);
  }
  return r;
}

export function decimalSeparatorOption(raw: string): DecimalSeparator {
  const r = parseDecimalSeparatorOption(raw);
  if (r instanceof CellError) {
    throw new AppError('VALIDATION', `--decimal-separator "${raw}": ${r.reason}`, [
      { field: 'decimalSeparator', value: raw, reason: r.reason },
    ]);
  }
  return r;
}

/**
 * The first pass of an import (issue 17 §3): every value of every date column is seen
 * before any row is validated, so a column is read in one order from its first line to its
 * last. A column decided by its own values keeps that order; a column whose values all read
 * both ways takes the order of the file's other date columns when they agree (one export
 * writes every date the same way); otherwise the file is refused, asking for --date-format.
 * Nothing is written before this decision.
 */
export async function decideDateColumns(
  rows: AsyncIterable<SourceRow>,
  byField: Record<string, string>,
): Promise<{ orders: Record<string, DateOrder | null>; columns: DateColumns }> {
  const fields = DATE_FIELDS.filter((f) => byField[f] !== undefined);
  const inference = new Map(fields.map((f) => [f, new DateOrderInference()]));
  for await (const row of rows) {
    if (row.problem) continue;
    for (const f of fields) {
      const v = row.cells[byField[f] as string];
      if (v) inference.get(f)?.add(row.line, v);
    }
  }
  const orders: Record<string, DateOrder | null> = {};
  const columns: DateColumns = {};
  const problems: { line: number; column: string; reason: string }[] = [];
  const undecided: { field: (typeof DATE_FIELDS)[number]; column: string }[] = [];
  for (const f of fields) {
    const column = byField[f] as string;
    const d = inference.get(f)?.decide(column);
    if (!d) continue;
    if (!d.ok) {
      if (d.reason.includes('mixes')) {
        problems.push({ line: d.lines[0] ?? 1, column, reason: d.reason });
      } else undecided.push({ field: f, column });
      continue;
    }
    orders[f] = d.order;
    if (d.order) {
      columns[column] = {
        order: WORD[d.order],
        decidedBy: d.decidedBy ? `"${d.decidedBy.value}" on line ${d.decidedBy.line}` : 'the file',
      };
    }
  }
  if (undecided.length > 0) {
    const decided = [...new Set(Object.values(orders).filter((o): o is DateOrder => o !== null))];
    const only = decided.length === 1 ? decided[0] : undefined;
    for (const { field, column } of undecided) {
      if (only) {
        orders[field] = only;
        const by = Object.entries(columns).find(([, c]) => c.order === WORD[only]);
        columns[column] = { order: WORD[only], decidedBy: `column "${by?.[0] ?? ''}" of the same file` };
      } else {
        const r = inference.get(field)?.decide(column);
        problems.push({
          line: r && !r.ok ? (r.lines[0] ?? 1) : 1,
          column,
          reason:
            r && !r.ok
              ? `${r.reason}${decided.length > 1 ? ' (the other date columns disagree with each other)' : ''}`
              : `column "${column}": day/month order undecided; use --date-format`,
        });
      }
    }
  }
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION',
      `The dates of this file cannot be read without a guess, nothing was imported: ${problems.map((p) => p.reason).join('; ')}`,
      problems.map((p) => ({ line: p.line, column: p.column, reason: p.reason })),
    );
  }
  return { orders, columns };
}
