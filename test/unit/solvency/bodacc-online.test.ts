import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBodaccSince } from '../../../src/ingest/bodacc/online-feed.js';

const records = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/solvency/bodacc-dila-export.json'), 'utf8'),
) as Record<string, unknown>[];

describe('BODACC online feed adapter (loopback double of the DILA Explore API v2.1)', () => {
  let server: Server;
  let base: string;
  const seen: URL[] = [];
  beforeAll(async () => {
    // Serves the fixture's records one per page, as the API pages with limit/offset.
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push(url);
      const offset = Number(url.searchParams.get('offset'));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ total_count: records.length, results: records.slice(offset, offset + 1) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('asks for the collective-proceedings notices since a date and follows the pages', async () => {
    const r = await fetchBodaccSince('2026-03-01', { baseUrl: base });
    expect(seen[0]?.pathname).toBe('/api/explore/v2.1/catalog/datasets/annonces-commerciales/records');
    expect(seen[0]?.searchParams.get('where')).toBe(
      `familleavis="collective" and dateparution>=date'2026-03-01'`,
    );
    expect(seen.map((u) => u.searchParams.get('offset'))).toEqual(['0', '1', '2']);
    expect(r.records).toBe(3);
    expect(r.notices.map((n) => n.siren)).toEqual(['732829320', '443061841']);
    expect(r.problems).toEqual([{ record: 3, field: 'jugement.date', reason: 'missing' }]);
  });

  it('refuses a date that is not one', async () => {
    await expect(fetchBodaccSince('01/03/2026', { baseUrl: base })).rejects.toThrow(/since/);
  });
});
