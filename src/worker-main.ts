import { ConfigError, loadConfig } from './config.js';
import { startWorkers } from './jobs/worker.js';
import { openRuntime } from './runtime.js';

/** `npm run worker`: a background worker process (PostgreSQL deployments run several). */
async function main(): Promise<void> {
  const config = loadConfig();
  const rt = await openRuntime(config, { role: 'worker', seedDemo: false });
  const workers = await startWorkers(rt);
  rt.log.info('relance worker started');
  const shutdown = async () => {
    await workers.stop();
    await rt.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  process.stderr.write(
    `relance worker: ${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
