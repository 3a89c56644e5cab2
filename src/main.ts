import type { Kysely } from 'kysely';
import { buildServer } from './api/server.js';
import { describeDatabase } from './cli/describe-database.js';
import { ConfigError, loadConfig } from './config.js';
import { withOrg } from './db/connection.js';
import { updateDataDirLock } from './db/data-dir-lock.js';
import { listApiKeys } from './db/queries/api-keys.js';
import { listOrganisations, type Organisation } from './db/queries/organisations.js';
import type { Database } from './db/schema/index.js';
import { seedDemo } from './demo/seed.js';
import { AppError } from './errors.js';
import { startWorkers } from './jobs/worker.js';
import { openRuntime, registerDemoSeeder } from './runtime.js';
import { createApiKey } from './services/api-keys/create-api-key.js';
import { ensureDemoUser } from './services/auth/demo-user.js';

/**
 * `npm start`: one process serving the API on the embedded database (./data) or on
 * PostgreSQL (DATABASE_URL). With no environment at all it starts on 127.0.0.1:3000 with
 * the demo company, so a fresh clone works with one command.
 */
/**
 * On the first start of a demo, mint an admin key for each demo organisation that has none
 * and print it once, so the API can be tried straight away (only a hash is stored).
 */
async function demoApiKeys(
  db: Kysely<Database>,
  orgs: Organisation[],
): Promise<{ slug: string; token: string }[]> {
  const out: { slug: string; token: string }[] = [];
  for (const org of orgs.filter((o) => o.is_demo)) {
    const token = await withOrg(db, org.id, async (trx) => {
      if ((await listApiKeys(trx, org.id)).length > 0) return undefined;
      return (await createApiKey(trx, org.id, { name: 'Demo key', role: 'admin' })).token;
    });
    if (token) out.push({ slug: org.slug, token });
  }
  return out;
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee docs/configuration.md.\n`);
      process.exit(1);
    }
    throw e;
  }

  registerDemoSeeder(seedDemo);
  const rt = await openRuntime(config, { role: 'server' });
  const app = await buildServer({ handle: rt.handle, config, log: rt.log });
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = ['0.0.0.0', '::'].includes(config.HOST) ? 'localhost' : config.HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!config.DATABASE_URL) updateDataDirLock(config.DATA_DIR, url);
  // Embedded mode is one process: the workers (dunning scheduler, delivery) run here too.
  const workers = config.RELANCE_WORKERS ? await startWorkers(rt, { portalBaseUrl: url }) : undefined;

  const orgs = await listOrganisations(rt.handle.db);
  const demo = orgs.filter((o) => o.is_demo).map((o) => o.slug);
  const demoKeys = await demoApiKeys(rt.handle.db, orgs);
  const demoOrg = orgs.find((o) => o.is_demo);
  const demoUser = demoOrg ? await ensureDemoUser(rt.handle.db, demoOrg.id) : undefined;
  const lines = [
    '',
    `  Relance is running at ${url}`,
    `  API documentation:   ${url}/docs`,
    `  Database:            ${describeDatabase(config)}`,
    demo.length > 0
      ? `  Demo organisation:   ${demo.join(', ')} (RELANCE_DEMO=false on a new database to start without it)`
      : `  Organisations:       ${orgs.map((o) => o.slug).join(', ') || 'none yet (relance org create --name "…")'}`,
    ...(demoUser ? [`  Demo sign-in:        ${demoUser.email} / ${demoUser.password}  (open ${url})`] : []),
    ...demoKeys.map(
      (k) =>
        `  Demo API key (${k.slug}, admin, shown once): ${k.token}\n    try: curl -H "Authorization: Bearer ${k.token}" ${url}/api/v1/invoices`,
    ),
    ...(config.PUBLIC_URL ? [`  Public URL:          ${config.PUBLIC_URL}`] : []),
    workers
      ? `  Dunning scheduler:   on (daily run at 09:00 organisation time; email needs SMTP_URL${config.SMTP_URL ? ', set' : ', not set: emails wait'})`
      : '  Dunning scheduler:   off (RELANCE_WORKERS=false)',
    '  Stop with Ctrl+C.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // A second Ctrl+C means "now".
      process.exit(130);
    }
    stopping = true;
    rt.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      await workers?.stop();
      await rt.close();
      process.exit(0);
    } catch (err) {
      rt.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof AppError) {
    // DATA_DIR_LOCKED and friends: the message says what to do; a stack would bury it.
    process.stderr.write(`relance: ${err.message}\n`);
    process.exit(err.code === 'DATA_DIR_LOCKED' ? 2 : 1);
  }
  process.stderr.write(
    `relance: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
