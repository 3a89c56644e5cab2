import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.js';
import { withRunLock } from '../../../src/db/run-lock.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `count` holders of `names[i % names.length]` at once and returns what each saw. */
async function overlapping(
  dbs: TestDb['db'][],
  names: string[],
  count: number,
): Promise<{ events: string[]; maxInside: Map<string, number> }> {
  const events: string[] = [];
  const inside = new Map<string, number>();
  const maxInside = new Map<string, number>();
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const name = names[i % names.length] ?? 'x';
      const db = dbs[i % dbs.length];
      if (!db) throw new Error('no db');
      return withRunLock(db, name, async () => {
        const n = (inside.get(name) ?? 0) + 1;
        inside.set(name, n);
        maxInside.set(name, Math.max(maxInside.get(name) ?? 0, n));
        events.push(`in ${i}`);
        // Queries while holding the lock must not wait behind it (the embedded engine has one connection).
        await dbs[0]?.selectFrom('organisations').select('id').execute();
        await pause(30);
        events.push(`out ${i}`);
        inside.set(name, n - 1);
      });
    }),
  );
  return { events, maxInside };
}

describeEngines('run lock', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('lets one holder of a name in at a time, and holders of other names alongside', async () => {
    const { events, maxInside } = await overlapping([t.db], ['a', 'b'], 6);
    expect(maxInside.get('a')).toBe(1);
    expect(maxInside.get('b')).toBe(1);
    // Holders of "a" (even i) never interleave: each one's "out" comes right after its "in".
    const a = events.filter((e) => Number(e.split(' ')[1]) % 2 === 0);
    for (let k = 0; k < a.length; k += 2) expect(a[k + 1]?.replace('out', 'in')).toBe(a[k]);
    // …while "a" and "b" did overlap at least once.
    expect(events.slice(0, 2).every((e) => e.startsWith('in'))).toBe(true);
  });

  it('is released when the holder throws', async () => {
    await expect(
      withRunLock(t.db, 'c', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { maxInside } = await overlapping([t.db], ['c'], 2);
    expect(maxInside.get('c')).toBe(1);
  });

  if (engine === 'postgres') {
    it('excludes holders in other processes: separate pools on the same database', async () => {
      const other = await openDatabase({ databaseUrl: t.url, poolSize: 2 });
      try {
        const { maxInside } = await overlapping([t.db, other.db], ['d'], 4);
        expect(maxInside.get('d')).toBe(1);
      } finally {
        await other.close();
      }
    });
  }
});
