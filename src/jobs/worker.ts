import { paymentProvidersOf } from '../channels/payments/registry.js';
import type { Runtime } from '../runtime.js';
import { channelSetFromConfig } from '../services/dunning/channel-set.js';
import { registerDunningJobs } from './dunning-jobs.js';
import { JobQueue } from './queue.js';
import { registerRiskJobs } from './risk-jobs.js';
import { registerSolvencyJobs } from './solvency-jobs.js';

/**
 * Start the background workers in this process: the embedded mode runs them next to the
 * HTTP server; on PostgreSQL any number of processes may run them (`npm run worker`).
 */
export async function startWorkers(
  rt: Runtime,
  opts: { schedule?: boolean; portalBaseUrl?: string } = {},
): Promise<{ stop(): Promise<void> }> {
  const queue = new JobQueue(rt.handle, rt.log, { schedule: opts.schedule ?? true });
  await queue.start();
  await registerDunningJobs(
    {
      handle: rt.handle,
      queue,
      channels: channelSetFromConfig(rt.config, rt.log),
      log: rt.log,
      ...(rt.config.RELANCE_SECRET ? { secret: rt.config.RELANCE_SECRET } : {}),
      portalBaseUrl:
        rt.config.PUBLIC_URL ?? opts.portalBaseUrl ?? `http://${rt.config.HOST}:${rt.config.PORT}`,
      onlinePayment: paymentProvidersOf(rt.config).checkout !== undefined,
    },
    { schedule: opts.schedule ?? true },
  );
  await registerSolvencyJobs({ handle: rt.handle, queue, log: rt.log }, { schedule: opts.schedule ?? true });
  await registerRiskJobs({ handle: rt.handle, queue, log: rt.log }, { schedule: opts.schedule ?? true });
  return { stop: () => queue.stop() };
}
