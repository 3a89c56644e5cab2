import { type RawBuilder, sql } from 'kysely';
import { AppError } from '../../errors.js';

/**
 * Keyset ("seek") pagination shared by the ledger lists. A page is the `limit` rows that
 * follow the cursor in (sort key, id) order; the cursor is the last row's key and id, so a
 * row inserted while a client walks the list can neither duplicate nor hide another row
 * (unlike OFFSET). id is the tie-break, which makes every order total and deterministic.
 */
export type SortDirection = 'asc' | 'desc';

/** How a sort key is read back from the cursor's text form. */
export type KeyCast = 'text' | 'date' | 'bigint' | 'integer' | 'timestamptz';

export interface SortKey {
  expr: RawBuilder<unknown>;
  cast: KeyCast;
}

export interface PageParams<S extends string> {
  sort: S;
  direction: SortDirection;
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface CursorBody {
  s: string;
  d: SortDirection;
  k: string;
  i: string;
}

export function encodeCursor(sort: string, direction: SortDirection, key: string, id: string): string {
  const body: CursorBody = { s: sort, d: direction, k: key, i: id };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor only continues the list it came from: another sort or direction is refused. */
export function decodeCursor(
  cursor: string,
  sort: string,
  direction: SortDirection,
): { key: string; id: string } {
  const invalid = (reason: string) =>
    new AppError('VALIDATION', 'Invalid cursor', [{ field: 'cursor', value: cursor.slice(0, 100), reason }]);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a cursor returned by this API');
  }
  const b = body as Partial<CursorBody> | null;
  if (!b || typeof b.k !== 'string' || typeof b.i !== 'string' || !UUID.test(b.i)) {
    throw invalid('not a cursor returned by this API');
  }
  if (b.s !== sort || b.d !== direction) {
    throw invalid(
      `cursor belongs to sort ${b.d === 'desc' ? '-' : ''}${b.s}, not ${direction === 'desc' ? '-' : ''}${sort}`,
    );
  }
  return { key: b.k, id: b.i };
}

function castValue(value: string, cast: KeyCast): RawBuilder<unknown> {
  switch (cast) {
    case 'date':
      return sql`${value}::date`;
    case 'bigint':
      return sql`${value}::bigint`;
    case 'integer':
      return sql`${value}::integer`;
    case 'timestamptz':
      return sql`${value}::timestamptz`;
    default:
      return sql`${value}::text`;
  }
}

/** The sort key as text, selected as `sort_key` so the last row of a page makes the cursor.
 * Text keeps full precision (timestamps have microseconds, JS dates only milliseconds). */
export function sortKeyText(key: SortKey): RawBuilder<string> {
  return sql<string>`(${key.expr})::text`;
}

/** WHERE condition for the rows after the cursor, or true on the first page. */
export function afterCursor(
  key: SortKey,
  idExpr: RawBuilder<unknown>,
  page: PageParams<string>,
): RawBuilder<boolean> {
  if (!page.cursor) return sql<boolean>`true`;
  const c = decodeCursor(page.cursor, page.sort, page.direction);
  const op = page.direction === 'asc' ? sql.raw('>') : sql.raw('<');
  return sql<boolean>`(${key.expr}, ${idExpr}) ${op} (${castValue(c.key, key.cast)}, ${c.id}::uuid)`;
}

/** Trim the extra row fetched to know whether another page exists and build its cursor. */
export function toPage<T extends { sort_key: string; id: string }>(
  rows: T[],
  page: PageParams<string>,
): Page<Omit<T, 'sort_key'>> {
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  const last = kept[kept.length - 1];
  const items = kept.map(({ sort_key: _, ...rest }) => rest);
  return {
    items,
    nextCursor: more && last ? encodeCursor(page.sort, page.direction, last.sort_key, last.id) : null,
  };
}

/** Escape LIKE wildcards in user search text. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
