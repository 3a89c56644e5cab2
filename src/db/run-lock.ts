import { type Kysely, sql } from 'kysely';
import { isEmbedded } from './connection.js';
import type { Database } from './schema/index.js';

/** Tails of the in-process queues of the embedded engine, per database and lock name. */
const embeddedQueues = new WeakMap<Kysely<Database>, Map<string, Promise<void>>>();

/**
 * Run `fn` while holding a named lock that every process sharing the database respects, for
 * as long as `fn` runs, across any number of transactions. A caller waits its turn.
 *
 * On PostgreSQL it is a session advisory lock on a connection set aside while it is held: the
 * server releases it if this process dies, so a crash never leaves it held. The embedded
 * engine has one connection, which cannot be set aside, and its data directory is opened by
 * one process at a time (decision 003): an in-process queue is the same guarantee there.
 */
export async function withRunLock<T>(db: Kysely<Database>, name: string, fn: () => Promise<T>): Promise<T> {
  if (isEmbedded(db)) return inProcessQueue(db, name, fn);
  // A waiter polls rather than blocking in pg_advisory_lock: blocked, it would keep a pooled
  // connection, and enough waiters would starve the holder of the connections it needs to finish.
  for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
    const outcome = await db.connection().execute(async (conn) => {
      const { rows } = await sql<{ locked: boolean }>`
        select pg_try_advisory_lock(hashtextextended(${name}, 0)) as locked`.execute(conn);
      if (!rows[0]?.locked) return null;
      try {
        return { value: await fn() };
      } finally {
        await sql`select pg_advisory_unlock(hashtextextended(${name}, 0))`.execute(conn);
      }
    });
    if (outcome) return outcome.value;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

async function inProcessQueue<T>(db: Kysely<Database>, name: string, fn: () => Promise<T>): Promise<T> {
  let queues = embeddedQueues.get(db);
  if (!queues) {
    queues = new Map();
    embeddedQueues.set(db, queues);
  }
  const previous = queues.get(name) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  queues.set(name, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (queues.get(name) === tail) queues.delete(name);
  }
}
