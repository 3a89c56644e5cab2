import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/run-command.js';
import { lockDataDir } from '../../../src/db/data-dir-lock.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { runCliInProcess } from './in-process.js';
import { runCli, startServer, tempDataDir, waitForExit } from './spawn.js';

// Each spawn boots Node, tsx and the database: allow for slow CI machines. Most cases run
// the CLI in-process (./in-process.ts); the lock and `npm start` cases need a real process.
const SLOW = 240_000;

interface OrgRow {
  slug: string;
  isDemo: boolean;
}

describe('relance CLI on the embedded database', () => {
  const dataDir = tempDataDir();
  const env = { DATA_DIR: dataDir };

  it(
    'creates the data directory and migrates on first use, without seeding any organisation',
    async () => {
      expect(existsSync(dataDir)).toBe(false);
      const r = await runCliInProcess(['org', 'list', '--json'], env);
      expect(r.stderr).toContain('Creating the embedded PGlite database');
      expect(r.stderr).not.toContain('demo');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([]);
      expect(existsSync(join(dataDir, 'pglite'))).toBe(true);
      // The lock is released when the command ends.
      expect(existsSync(join(dataDir, 'relance.lock'))).toBe(false);
    },
    SLOW,
  );

  it(
    'creates the demo organisation with relance demo when there is none',
    async () => {
      const r = await runCliInProcess(['demo', '--json'], env);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ org: 'demo', customers: 300, invoices: 3000 });
      const orgs = JSON.parse((await runCliInProcess(['org', 'list', '--json'], env)).stdout) as OrgRow[];
      expect(orgs).toEqual([expect.objectContaining({ slug: 'demo', isDemo: true })]);
    },
    SLOW,
  );

  it(
    'imports a French-header CSV, keeps the valid rows and writes a reject report for the bad one',
    async () => {
      const file = join(dataDir, '..', 'factures.csv');
      writeFileSync(
        file,
        "\uFEFFN° facture;Code client;Date facture;Date d'échéance;Montant TTC\n" +
          'IMP-1;CLI000001;15/01/2025;14/02/2025;1 234,56\n' +
          'IMP-2;CLI000002;01/02/2025;01/01/2025;100,00\n' +
          'IMP-3;CLI000003;01/03/2025;31/03/2025;99,90\n',
      );
      const report = join(dataDir, '..', 'rejets.csv');
      const r = await runCliInProcess(
        ['import', 'invoices', file, '--mode', 'accept-valid', '--reject-report', report, '--json'],
        env,
      );
      expect(r.code).toBe(EXIT.rowsRejected);
      const summary = JSON.parse(r.stdout) as {
        rowsRead: number;
        accepted: number;
        rejected: number;
        created: number;
      };
      expect(summary).toMatchObject({ rowsRead: 3, accepted: 2, rejected: 1, created: 2 });
      const lines = readFileSync(report, 'utf8').trim().split('\n');
      // Every text cell quoted, so no cell can turn into a formula in French Excel (issue 14).
      expect(lines[0]).toBe('"line","column","field","value","reason"');
      expect(lines).toHaveLength(2);
      // The value as written in the file, so the user finds it; the reason says why.
      expect(lines[1]).toMatch(/^3,"Date d'échéance","dueDate","01\/01\/2025",".*before the issue date/);
    },
    SLOW,
  );

  it(
    'refuses to guess the organisation once there are several, and names them',
    async () => {
      const created = await runCliInProcess(
        ['org', 'create', '--name', 'Dupont Industrie SAS', '--siren', '732 829 320'],
        env,
      );
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('slug: dupont-industrie-sas');

      const r = await runCliInProcess(['demo', '--customers', '2', '--invoices', '5'], env);
      expect(r.code).toBe(EXIT.orgAmbiguous);
      expect(r.stderr).toContain(
        'There are 2 organisations (demo, dupont-industrie-sas): choose one with --org SLUG',
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);

      const named = await runCliInProcess(
        [
          'demo',
          '--org',
          'dupont-industrie-sas',
          '--customers',
          '3',
          '--invoices',
          '12',
          '--seed',
          '5',
          '--json',
        ],
        env,
      );
      expect(named.code).toBe(0);
      expect(JSON.parse(named.stdout)).toMatchObject({
        org: 'dupont-industrie-sas',
        customers: 3,
        invoices: 12,
      });
    },
    SLOW,
  );

  it(
    'stops with DATA_DIR_LOCKED and names the server holding the data directory',
    async () => {
      // This test process plays the running server: it holds the lock with its own pid, so the
      // CLI must be another process (this case also proves bin/relance.js's wiring and exit code).
      const release = lockDataDir(dataDir, 'server', 'http://127.0.0.1:39999');
      try {
        const r = await runCli(['org', 'list'], env);
        expect(r.code).toBe(EXIT.dataDirLocked);
        expect(r.stderr).toContain(
          `is in use by a Relance server at http://127.0.0.1:39999 (pid ${process.pid}`,
        );
        expect(r.stderr).not.toMatch(/\n\s+at /);
      } finally {
        release();
      }
    },
    SLOW,
  );
});

describe('relance org create on a new data directory', () => {
  it(
    'creates that organisation and no other, with the settings a first run needs',
    async () => {
      const env = { DATA_DIR: tempDataDir() };
      const created = await runCliInProcess(
        [
          'org',
          'create',
          '--name',
          'Martin Négoce SARL',
          '--sender-email',
          'relances@martin.example',
          '--city',
          'Lyon',
          '--phone',
          '04 72 00 00 00',
        ],
        env,
      );
      expect(created.code).toBe(0);
      const orgs = JSON.parse((await runCliInProcess(['org', 'list', '--json'], env)).stdout) as OrgRow[];
      expect(orgs).toEqual([expect.objectContaining({ slug: 'martin-negoce-sarl', isDemo: false })]);
      const shown = await runCliInProcess(['settings', 'show', '--json'], env);
      expect(JSON.parse(shown.stdout)).toMatchObject({
        organisation: { city: 'Lyon', phone: '04 72 00 00 00' },
        channels: { senderEmail: 'relances@martin.example' },
      });
    },
    SLOW,
  );

  it(
    'refuses a bad setting before creating anything, naming it',
    async () => {
      const env = { DATA_DIR: tempDataDir() };
      const r = await runCliInProcess(
        ['org', 'create', '--name', 'X SAS', '--sender-email', 'not-an-email'],
        env,
      );
      expect(r.code).toBe(EXIT.invalid);
      expect(r.stderr).toContain('channels.senderEmail');
      expect(JSON.parse((await runCliInProcess(['org', 'list', '--json'], env)).stdout)).toEqual([]);
    },
    SLOW,
  );
});

describe('relance settings set', () => {
  it(
    'changes typed settings, and refuses unknown keys and bad values without saving any',
    async () => {
      const env = { DATA_DIR: tempDataDir() };
      await runCliInProcess(['org', 'create', '--name', 'Réglages SA'], env);
      const ok = await runCliInProcess(
        [
          'settings',
          'set',
          'terms.paymentTermsDays=45',
          'contactLimits.noSendOnSundays=non',
          'organisation.city=Nantes',
        ],
        env,
      );
      expect(ok.code).toBe(0);
      const bad = await runCliInProcess(
        ['settings', 'set', 'organisation.city=Brest', 'terms.paymentTermsDays=beaucoup', 'foo.bar=1'],
        env,
      );
      expect(bad.code).toBe(EXIT.invalid);
      expect(bad.stderr).toContain('terms.paymentTermsDays');
      expect(bad.stderr).toContain('foo.bar');
      const view = JSON.parse((await runCliInProcess(['settings', 'show', '--json'], env)).stdout);
      expect(view).toMatchObject({
        organisation: { city: 'Nantes' },
        terms: { paymentTermsDays: 45 },
        contactLimits: { noSendOnSundays: false },
      });
    },
    SLOW,
  );
});

describe('npm start (src/main.ts)', () => {
  it(
    'starts with the demo on a fresh data directory, prints its URL and a working API key, and stops cleanly',
    async () => {
      const dataDir = tempDataDir();
      const server = await startServer({ DATA_DIR: dataDir });
      try {
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(server.url).not.toMatch(/:0$/);
        expect(server.output()).toContain(`embedded PGlite database in ${dataDir}`);
        expect(server.output()).toContain('Demo organisation:   demo');
        const health = await fetch(`${server.url}/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({
          status: 'ok',
          database: { engine: 'pglite', reachable: true },
        });

        const token = /Demo API key \(demo, admin, shown once\): (rk_\S+)/.exec(server.output())?.[1];
        expect(token).toBeDefined();
        const invoices = await fetch(`${server.url}/api/v1/invoices?limit=5`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(invoices.status).toBe(200);
        const unauthenticated = await fetch(`${server.url}/api/v1/invoices`);
        expect(unauthenticated.status).toBe(401);

        const cli = await runCli(['org', 'list'], { DATA_DIR: dataDir });
        expect(cli.code).toBe(EXIT.dataDirLocked);
        expect(cli.stderr).toContain(`a Relance server at ${server.url}`);
      } finally {
        server.child.kill('SIGTERM');
      }
      expect(await waitForExit(server.child)).toBe(0);
      expect(existsSync(join(dataDir, 'relance.lock'))).toBe(false);
    },
    SLOW * 2,
  );
});

describe.skipIf(!process.env.DATABASE_URL)('relance CLI on PostgreSQL', () => {
  let t: TestDb | undefined;
  afterAll(async () => t?.drop());

  it(
    'migrates a fresh database on first use, then refuses an ambiguous organisation',
    async () => {
      t = await createTestDb('postgres', { migrate: false });
      const env = { DATABASE_URL: t.url ?? '' };
      const first = await runCliInProcess(['org', 'list', '--json'], env);
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual([]);
      expect((await runCliInProcess(['demo'], env)).code).toBe(0);
      const invoices = await t.db
        .selectFrom('invoices')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      expect(Number(invoices?.n)).toBe(3000);

      expect((await runCliInProcess(['org', 'create', '--name', 'Martin SARL'], env)).code).toBe(0);
      const r = await runCliInProcess(['migrate'], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('nothing to apply');
      const ambiguous = await runCliInProcess(
        ['import', 'customers', join(import.meta.dirname, 'cli.test.ts')],
        env,
      );
      expect(ambiguous.code).toBe(EXIT.orgAmbiguous);
      expect(ambiguous.stderr).toContain('choose one with --org SLUG');
    },
    SLOW,
  );
});
