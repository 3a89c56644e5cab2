import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.js';
import { runCliInProcess } from '../cli/in-process.js';
import { tempDataDir } from '../cli/spawn.js';

const DATE = '2026-11-26';

/**
 * `relance run` never hides pending work (issue 14, items 15–16). On the embedded engine
 * (a data directory the CLI opens); the queries are the same SQL on PostgreSQL.
 */
let env: Record<string, string>;
beforeAll(async () => {
  env = { DATA_DIR: tempDataDir(), RELANCE_DEMO: 'false' };
  const demo = await runCliInProcess(
    ['demo', '--new', '--customers', '20', '--invoices', '80', '--seed', '4', '--today', DATE],
    env,
  );
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dirname(env.DATA_DIR as string), { recursive: true, force: true }));

it('shows the retries of an unconfigured channel in words and exits 8; a later re-run for the date takes them', async () => {
  const r = await runCliInProcess(['run', '--date', DATE], env);
  expect(r.code, r.stderr).toBe(8);
  const retry = Number(/(\d+) waiting for retry/.exec(r.stdout)?.[1]);
  expect(retry, r.stdout).toBeGreaterThan(0);
  expect(r.stdout).toMatch(/error: .+/);
  expect(r.stdout).toMatch(/Not everything planned for 2026-11-26 is done/);

  // The backoff (a minute of wall-clock time) has passed: the re-run for the same date takes
  // them again (attempts grow), where before their not_before stayed out of its reach.
  const h = await openDatabase({ dataDir: env.DATA_DIR as string });
  const before = await sql<{
    n: number;
  }>`select coalesce(sum(attempts), 0)::int as n from dunning_actions where status = 'planned' and attempts > 0`.execute(
    h.db,
  );
  await sql`update dunning_actions set not_before = now() - interval '1 second' where status = 'planned' and attempts > 0`.execute(
    h.db,
  );
  await h.close();
  const again = await runCliInProcess(['run', '--date', DATE], env);
  expect(again.code, again.stderr).toBe(8);
  const h2 = await openDatabase({ dataDir: env.DATA_DIR as string });
  const after = await sql<{
    n: number;
  }>`select coalesce(sum(attempts), 0)::int as n from dunning_actions where attempts > 0`.execute(h2.db);
  await h2.close();
  expect(after.rows[0]?.n).toBeGreaterThan(before.rows[0]?.n ?? 0);
}, 120_000);
