import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { DbHandle } from '../db/connection.js';
import { type JobDefinition, PermanentJobError } from './catalogue.js';

export interface JobContext {
  jobId: string;
  retryCount: number;
  log: Logger;
}

export type JobHandler<P extends z.ZodType> = (payload: z.infer<P>, ctx: JobContext) => Promise<unknown>;

export interface QueueOptions {
  /** Run cron schedules in this process (one scheduler is enough; any number may run). */
  schedule?: boolean;
  pollingIntervalSeconds?: number;
}

/**
 * The durable job queue: pg-boss in the same database as the ledger, so any number of
 * workers can share it on PostgreSQL, and the embedded engine runs it in-process through
 * the same SQL adapter (one lock serialises PGlite users, see src/db/pglite-dialect.ts).
 */
export class JobQueue {
  readonly boss: PgBoss;
  readonly #log: Logger;
  readonly #pollingIntervalSeconds: number;
  readonly #queues = new Set<string>();

  constructor(handle: DbHandle, log: Logger, opts: QueueOptions = {}) {
    this.#log = log.child({ module: 'jobs' });
    this.#pollingIntervalSeconds = opts.pollingIntervalSeconds ?? 2;
    this.boss = new PgBoss({
      db: { executeSql: (text: string, values: unknown[]) => handle.executeSql(text, values) },
      schedule: opts.schedule ?? true,
      supervise: true,
      migrate: true,
    });
    this.boss.on('error', (err) => this.#log.error({ err }, 'job queue error'));
  }

  async start(): Promise<void> {
    await this.boss.start();
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  async #ensureQueue(def: JobDefinition): Promise<void> {
    if (this.#queues.has(def.name)) return;
    const existing = await this.boss.getQueue(def.name);
    if (!existing) {
      try {
        await this.boss.createQueue(def.name, {
          name: def.name,
          retryLimit: def.retryLimit,
          retryDelay: def.retryDelaySeconds,
          retryBackoff: def.retryBackoff,
          expireInSeconds: def.expireInSeconds,
        });
      } catch (err) {
        // Another process created it between our check and our create.
        if (!(await this.boss.getQueue(def.name))) throw err;
      }
    }
    this.#queues.add(def.name);
  }

  /**
   * Enqueue. An idempotencyKey becomes the job's id (a UUID derived from the key), so the
   * same logical job sent twice while the first is still known to pg-boss is stored once.
   * Exactly-once effects still rely on the handler's own claim (outbox rows), not on this.
   */
  async send<P extends z.ZodType>(
    def: JobDefinition<P>,
    payload: z.infer<P>,
    opts: { idempotencyKey?: string; startAfter?: Date | number } = {},
  ): Promise<string | null> {
    await this.#ensureQueue(def);
    const data = def.payload.parse(payload) as object;
    return this.boss.send(def.name, data, {
      retryLimit: def.retryLimit,
      retryDelay: def.retryDelaySeconds,
      retryBackoff: def.retryBackoff,
      expireInSeconds: def.expireInSeconds,
      ...(opts.idempotencyKey ? { id: keyToUuid(`${def.name}:${opts.idempotencyKey}`) } : {}),
      ...(opts.startAfter !== undefined ? { startAfter: opts.startAfter } : {}),
    });
  }

  async work<P extends z.ZodType>(
    def: JobDefinition<P>,
    handler: JobHandler<P>,
    opts: { batchSize?: number } = {},
  ): Promise<string> {
    await this.#ensureQueue(def);
    return this.boss.work<object>(
      def.name,
      { batchSize: opts.batchSize ?? 1, pollingIntervalSeconds: this.#pollingIntervalSeconds },
      async (jobs) => {
        for (const job of jobs) {
          const log = this.#log.child({ job: def.name, jobId: job.id });
          const parsed = def.payload.safeParse(job.data);
          if (!parsed.success) {
            // A malformed payload will never succeed: complete it with the reason rather
            // than burn retries.
            log.error({ issues: parsed.error.issues }, 'job payload invalid; dropped as permanent failure');
            continue;
          }
          try {
            await handler(parsed.data, { jobId: job.id, retryCount: 0, log });
          } catch (err) {
            if (err instanceof PermanentJobError) {
              log.warn({ err: err.message, ...err.details }, 'job failed permanently');
              continue;
            }
            throw err;
          }
        }
      },
    );
  }

  async schedule<P extends z.ZodType>(
    def: JobDefinition<P>,
    cron: string,
    payload: z.infer<P>,
    tz: string,
    key?: string,
  ): Promise<void> {
    await this.#ensureQueue(def);
    await this.boss.schedule(def.name, cron, def.payload.parse(payload) as object, {
      tz,
      ...(key ? { key } : {}),
    });
  }
}

/** A stable RFC 4122-shaped UUID (version 5 layout over SHA-256) for an idempotency key. */
export function keyToUuid(key: string): string {
  const h = createHash('sha256').update(key).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
