import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runBodaccWatch } from '../../../src/services/solvency/bodacc-watch.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, orgWithKey } from '../api/factories.js';
import { repoRoot } from '../cli/spawn.js';

const records = JSON.parse(
  readFileSync(join(repoRoot, 'test/fixtures/solvency/bodacc-dila-export.json'), 'utf8'),
);

describeEngines('nightly BODACC watch', (engine) => {
  let t: TestDb;
  let server: Server;
  const wheres: string[] = [];
  let watched: string;

  beforeAll(async () => {
    t = await createTestDb(engine);
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      wheres.push(url.searchParams.get('where') ?? '');
      const offset = Number(url.searchParams.get('offset'));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ total_count: records.length, results: records.slice(offset, offset + 100) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const on = await orgWithKey(t.db, 'Veille SAS');
    const off = await orgWithKey(t.db, 'Sans veille SAS');
    watched = on.org.id;
    await t.db
      .updateTable('organisations')
      .set({
        settings: JSON.stringify({
          solvency: { bodaccWatch: true, bodaccApiUrl: `http://127.0.0.1:${port}` },
        }),
      })
      .where('id', '=', on.org.id)
      .execute();
    for (const o of [on, off]) {
      const [c] = await makeCustomers(t.db, o.org.id, 1, () => ({
        name: 'Atelier Vauban SAS',
        siren: '732829320',
      }));
      await makeInvoices(t.db, o.org.id, [c?.id as string], 1, () => ({
        issue_date: '2026-01-05',
        due_date: '2026-02-04',
      }));
    }
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await t?.drop();
  });

  it('fetches for the organisations that opted in only, then resumes from the last publication date', async () => {
    const first = await runBodaccWatch(t.db, new Date('2026-03-20T04:30:00Z'));
    expect(first.map((r) => r.orgId)).toEqual([watched]);
    expect(first[0]?.result).toMatchObject({ inserted: 2, matched: 1 });
    expect(first[0]?.result?.applied[0]).toMatchObject({ kind: 'opening_redressement', pausedInvoices: 1 });
    expect(wheres[0]).toContain(`dateparution>=date'2026-03-13'`);
    const second = await runBodaccWatch(t.db, new Date('2026-03-21T04:30:00Z'));
    expect(wheres.at(-1)).toContain(`dateparution>=date'2026-03-10'`);
    expect(second[0]?.result).toMatchObject({ inserted: 0, applied: [] });
  });
});
