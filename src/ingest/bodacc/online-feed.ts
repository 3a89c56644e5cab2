import { isIsoDate } from '../../domain/calendar/index.js';
import { AppError } from '../../errors.js';
import { type BodaccNotice, type NoticeProblem, noticeFromRecord } from './notices.js';

/**
 * Adapter for the DILA BODACC open-data API (Opendatasoft Explore API v2.1):
 * `GET {base}/api/explore/v2.1/catalog/datasets/annonces-commerciales/records` with
 * `where=familleavis="collective" and dateparution>=date'YYYY-MM-DD'`, `order_by=dateparution`,
 * `limit` (≤ 100) and `offset`; the answer is `{ total_count, results: [record…] }` whose
 * records carry the same fields as the file export, so `noticeFromRecord` reads them.
 * The API caps offset + limit at 10 000: a window that large asks for a later `since`.
 */
export const BODACC_API_DEFAULT_URL = 'https://bodacc-datadila.opendatasoft.com';
const PAGE = 100;
const MAX_WINDOW = 10_000;

export async function fetchBodaccSince(
  since: string,
  opts: { baseUrl?: string; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<{ notices: BodaccNotice[]; problems: NoticeProblem[]; records: number }> {
  if (!isIsoDate(since))
    throw new AppError('VALIDATION', `since: a date YYYY-MM-DD`, [
      { field: 'since', value: since, reason: 'not a date' },
    ]);
  const base = (opts.baseUrl ?? BODACC_API_DEFAULT_URL).replace(/\/$/, '');
  const notices: BodaccNotice[] = [];
  const problems: NoticeProblem[] = [];
  let offset = 0;
  let total = Number.POSITIVE_INFINITY;
  while (offset < total) {
    if (offset + PAGE > MAX_WINDOW)
      throw new AppError(
        'UNPROCESSABLE',
        `more than ${MAX_WINDOW} notices since ${since}: use a later date or the file export`,
        [{ field: 'since', value: since, reason: 'window too large' }],
      );
    const params = new URLSearchParams({
      where: `familleavis="collective" and dateparution>=date'${since}'`,
      order_by: 'dateparution,numeroannonce',
      limit: String(PAGE),
      offset: String(offset),
    });
    const url = `${base}/api/explore/v2.1/catalog/datasets/annonces-commerciales/records?${params}`;
    let res: Response;
    try {
      res = await (opts.fetch ?? fetch)(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 20_000),
      });
    } catch (e) {
      throw new AppError('UNPROCESSABLE', `BODACC API unreachable: ${(e as Error).message}`);
    }
    if (res.status === 429) throw new AppError('RATE_LIMITED', 'BODACC API rate limit reached: retry later');
    if (!res.ok) throw new AppError('UNPROCESSABLE', `BODACC API answered HTTP ${res.status}`);
    const body = (await res.json()) as { total_count?: number; results?: Record<string, unknown>[] };
    const results = body.results ?? [];
    total = body.total_count ?? 0;
    results.forEach((r, i) => {
      const n = noticeFromRecord(r, offset + i + 1);
      if (Array.isArray(n)) problems.push(...n);
      else notices.push(n);
    });
    if (results.length === 0) break;
    offset += results.length;
  }
  return { notices, problems, records: offset };
}
