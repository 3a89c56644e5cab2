import { z } from 'zod';
import { MAX_AMOUNT_MINOR, toMajorString } from '../../domain/money/index.js';

/** Money on the wire: integer minor units, the ISO 4217 code, and the exact decimal string. */
export const moneySchema = z
  .object({
    // Not .int(): zod's int stops at 2^53, and a total past it (rows written before the input
    // bound) must still be shown rather than fail the whole page.
    amount: z.number().describe('Minor units (cents)'),
    currency: z.string().length(3),
    decimal: z.string().describe('Exact decimal value in major units, e.g. "1234.56"'),
  })
  .meta({ id: 'Money' });

export function toMoney(amount: number, currency: string): z.infer<typeof moneySchema> {
  const c = currency.trim();
  return { amount, currency: c, decimal: toMajorString({ amount, currency: c }) };
}

/** An amount in minor units at input: positive, at most MAX_AMOUNT_MINOR (docs/configuration.md). */
export const amountMinorInput = z
  .number()
  .int()
  .positive()
  .max(MAX_AMOUNT_MINOR, `at most ${MAX_AMOUNT_MINOR} minor units`);

export const isoDate = z.iso.date();
export const idParam = z.object({ id: z.uuid() });

/** Timestamps as ISO 8601 strings, whatever the driver returned. */
export function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
export function isoOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : iso(v);
}

export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size, 1 to 500'),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('The nextCursor of the previous page; only valid with the same sort'),
};

/**
 * `sort=field` ascending, `sort=-field` descending. Every order ends with the id, so pages
 * are deterministic even when many rows share a sort key.
 */
export function sortQuery<const F extends string>(fields: readonly [F, ...F[]], defaultSort: F | `-${F}`) {
  const values = [...fields, ...fields.map((f) => `-${f}`)] as [string, ...string[]];
  return z
    .enum(values)
    .default(defaultSort)
    .transform((v: string) => ({
      field: (v.startsWith('-') ? v.slice(1) : v) as F,
      direction: v.startsWith('-') ? ('desc' as const) : ('asc' as const),
    }))
    .describe(`One of ${fields.join(', ')}; prefix with - for descending`);
}

/** A repeated or comma-separated list (`status=open&status=paid` or `status=open,paid`). */
export function listQuery<const T extends string>(values: readonly [T, ...T[]]) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter((s) => s !== ''))
    .pipe(z.array(z.enum(values)))
    .describe(`Repeated or comma-separated, among: ${values.join(', ')}`);
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as cursor to get the next page; null on the last page'),
  });
}

export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string(),
    errors: z
      .array(
        z.looseObject({
          field: z.string().optional(),
          line: z.number().int().optional(),
          column: z.string().optional(),
          value: z.string().optional(),
          reason: z.string(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

/** An error answer in the OpenAPI document, with its real media type. */
export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: problemSchema } } };
}

/** Error answers every authenticated route can give. */
export const problemResponses = {
  400: problemResponse('Invalid parameters (each error names its field)'),
  401: problemResponse('Missing, invalid or revoked API key'),
  403: problemResponse('The key’s role does not allow this'),
  404: problemResponse('No such resource in this organisation'),
};
