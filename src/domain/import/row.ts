import { stripInvisible } from './cells.js';
import { CellError } from './parse.js';

export interface RowError {
  line: number;
  column?: string;
  field?: string;
  value?: string;
  reason: string;
}

/**
 * Reads canonical fields out of one source row and collects every problem of the row, so
 * the user sees all of them at once rather than one per attempt.
 */
export class RowReader {
  readonly errors: RowError[] = [];

  constructor(
    readonly line: number,
    private readonly cells: Record<string, string>,
    private readonly byField: Record<string, string>,
  ) {}

  has(field: string): boolean {
    return field in this.byField;
  }

  /** Trimmed cell text, '' when the column is absent or the cell empty. */
  text(field: string): string {
    const col = this.byField[field];
    return col === undefined ? '' : stripInvisible(this.cells[col] ?? '').trim();
  }

  optional(field: string): string | null {
    const t = this.text(field);
    return t === '' ? null : t;
  }

  required(field: string): string | null {
    const t = this.text(field);
    if (t === '') {
      this.fail(field, 'required value is empty');
      return null;
    }
    return t;
  }

  fail(field: string | undefined, reason: string, value?: string): void {
    const column = field ? this.byField[field] : undefined;
    const v = value ?? (field ? this.text(field) : undefined);
    this.errors.push({
      line: this.line,
      ...(column !== undefined ? { column } : {}),
      ...(field !== undefined ? { field } : {}),
      ...(v !== undefined && v !== '' ? { value: v } : {}),
      reason,
    });
  }

  /** Parse a non-empty cell with `parse`; an empty cell gives null without error. */
  parse<T>(field: string, parse: (raw: string) => T | CellError): T | null {
    const t = this.text(field);
    if (t === '') return null;
    const r = parse(t);
    if (r instanceof CellError) {
      this.fail(field, r.reason, t);
      return null;
    }
    return r;
  }

  parseRequired<T>(field: string, parse: (raw: string) => T | CellError): T | null {
    if (this.required(field) === null) return null;
    return this.parse(field, parse);
  }
}
