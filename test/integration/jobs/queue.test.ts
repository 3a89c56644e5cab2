import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, PermanentJobError } from '../../../src/jobs/catalogue.js';
import { JobQueue } from '../../../src/jobs/queue.js';
import { logger } from '../../../src/logger.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const echo = defineJob({
  name: 'test-echo',
  payload: z.object({ n: z.number().int() }),
  retryDelaySeconds: 1,
  retryBackoff: false,
  retryLimit: 2,
});

async function waitFor(cond: () => boolean, ms = 20_000) {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeEngines('durable job queue (pg-boss)', (engine) => {
  let t: TestDb;
  let q: JobQueue;
  beforeAll(async () => {
    t = await createTestDb(engine);
    q = new JobQueue(t, logger('silent'), { schedule: false, pollingIntervalSeconds: 0.5 });
    await q.start();
  });
  afterAll(async () => {
    await q.stop();
    await t.drop();
  });

  it('delivers every sent job to a worker, and the same idempotency key enqueues once', async () => {
    const seen: number[] = [];
    await q.work(echo, async ({ n }) => {
      seen.push(n);
    });
    await q.send(echo, { n: 1 });
    await q.send(echo, { n: 2 }, { idempotencyKey: 'same' });
    await q.send(echo, { n: 3 }, { idempotencyKey: 'same' });
    await waitFor(() => seen.length >= 2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.sort()).toEqual([1, 2]);
  });

  it('retries a failing handler and stops retrying permanent failures', async () => {
    const flaky = defineJob({
      name: 'test-flaky',
      payload: z.object({ kind: z.string() }),
      retryDelaySeconds: 1,
      retryBackoff: false,
      retryLimit: 3,
    });
    const attempts: Record<string, number> = {};
    await q.work(flaky, async ({ kind }) => {
      attempts[kind] = (attempts[kind] ?? 0) + 1;
      if (kind === 'transient' && (attempts[kind] ?? 0) < 2) throw new Error('try again');
      if (kind === 'permanent') throw new PermanentJobError('no point retrying');
    });
    await q.send(flaky, { kind: 'transient' });
    await q.send(flaky, { kind: 'permanent' });
    await waitFor(() => (attempts.transient ?? 0) >= 2 && (attempts.permanent ?? 0) >= 1);
    await new Promise((r) => setTimeout(r, 2500));
    expect(attempts).toEqual({ transient: 2, permanent: 1 });
  });

  it('refuses a payload that does not match the job schema at enqueue time', async () => {
    await expect(q.send(echo, { n: 'x' } as unknown as { n: number })).rejects.toThrow();
  });
});
