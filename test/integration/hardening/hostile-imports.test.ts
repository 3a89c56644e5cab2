import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Engine, openDatabase } from '../../../src/db/connection.js';
import { migrate } from '../../../src/db/migrate.js';
import type { Database } from '../../../src/db/schema/index.js';
import { failAbandonedImports } from '../../../src/services/imports/fail-abandoned-imports.js';
import { importFile } from '../../../src/services/imports/import-file.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { fileUpload } from '../../helpers/upload.js';
import { orgWithKey, testServer } from '../api/factories.js';
import { runCliInProcess } from '../cli/in-process.js';
import { tempDataDir } from '../cli/spawn.js';
import { count, csv, newOrg, run } from '../imports/helpers.js';

const INVOICE_HEADER = 'N° facture;Code client;Raison sociale;Date facture;Échéance;Montant TTC';
const CUSTOMERS = csv(['Code client;Raison sociale', 'CLI001;Client Un SARL']);

async function xlsxWithoutAddresses(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Clients');
  ws.addRow(['Code client', 'Raison sociale']);
  ws.addRow(['A1', 'Nom']);
  const files = unzipSync(new Uint8Array(await wb.xlsx.writeBuffer()));
  const name = Object.keys(files).find((n) => n.includes('sheet1')) ?? '';
  files[name] = strToU8(strFromU8(files[name] as Uint8Array).replace(/ r="[A-Z]*\d+"/g, ''));
  return Buffer.from(zipSync(files));
}

describeEngines('hostile import files (issue 14, items 5, 7–14)', (engine) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('item 5: rejects a CSV cell with a NUL byte, naming the row and column, and keeps the others', async () => {
    const org = await newOrg(t);
    const s = await run(
      t,
      org,
      'customers',
      csv(['Code client;Raison sociale', 'A1;Bon', 'A2;Ma\u0000uvais']),
    );
    expect(s).toMatchObject({ accepted: 1, rejected: 1 });
    expect(s.errors[0]).toMatchObject({
      line: 3,
      column: 'Raison sociale',
      reason: expect.stringMatching(/NUL/),
    });
  });

  it('item 7: rejects UTF-8 rows in a Windows-1252 file and the reverse, with the reason', async () => {
    const org = await newOrg(t);
    const cp1252 = Buffer.from([0x43, 0x30, 0x31, 0x3b, 0x43, 0x61, 0x66, 0xe9, 0x0a]); // C01;Café (1252)
    const utf8 = Buffer.from('C02;Café\n', 'utf8');
    const head = Buffer.from('Code client;Raison sociale\n');
    const a = await run(t, org, 'customers', Buffer.concat([head, cp1252, utf8]));
    expect(a, JSON.stringify(a.errors)).toMatchObject({ accepted: 1, rejected: 1 });
    expect(a.errors[0]).toMatchObject({
      line: 3,
      reason: expect.stringMatching(/UTF-8 text while the file is Windows-1252/),
    });
    const org2 = await newOrg(t);
    const b = await run(t, org2, 'customers', Buffer.concat([head, utf8, cp1252]));
    expect(b).toMatchObject({ accepted: 1, rejected: 1 });
    expect(b.errors[0]).toMatchObject({ line: 3, reason: expect.stringMatching(/not valid UTF-8/) });
    const names = await t.db
      .selectFrom('customers')
      .select('name')
      .where('org_id', 'in', [org, org2])
      .execute();
    expect(names.map((n) => n.name)).toEqual(['Café', 'Café']);
  });

  it('item 7: decides the encoding on the first non-ASCII row, even past the first 64 kB', async () => {
    const org = await newOrg(t);
    const ascii = Array.from({ length: 3000 }, (_, i) => `R${i};Client numero ${i} avec un nom assez long`);
    const body = Buffer.concat([
      Buffer.from(`Code client;Raison sociale\n${ascii.join('\n')}\n`),
      Buffer.from([0x5a, 0x31, 0x3b, 0x48, 0xe9, 0x6c, 0xe8, 0x6e, 0x65, 0x0a]), // Z1;Hélène in 1252
    ]);
    const s = await run(t, org, 'customers', body);
    expect(s).toMatchObject({ accepted: 3001, rejected: 0 });
    expect(s.detected?.encoding).toBe('windows-1252');
  });

  it('item 8: rejects a 100 kB cell per row, even the key, in accept-valid mode', async () => {
    const org = await newOrg(t);
    const s = await run(
      t,
      org,
      'customers',
      csv(['Code client;Raison sociale', `${'K'.repeat(100_000)};Long`, 'B1;Ok', `B2;${'n'.repeat(5000)}`]),
    );
    expect(s).toMatchObject({ accepted: 1, rejected: 2 });
    expect(s.errors.map((e) => e.reason)).toEqual([
      '100000 characters: at most 100 are allowed for this field',
      '5000 characters: at most 1000 are allowed for this field',
    ]);
  });

  it('item 9: commits in recorded chunks; a batch whose process died is marked failed with what landed', async () => {
    const org = await newOrg(t);
    const input = new PassThrough();
    input.write('Code client;Raison sociale\n');
    // Past the reader's 64 kB look-ahead, so rows flow while the stream stays open.
    for (let i = 0; i < 4000; i++) input.write(`D${i};Client numero ${i} de la liste\n`);
    // The stream never ends: the import stays "running" as if its process had been killed,
    // once its four full chunks of 1,000 have landed.
    const pending = importFile(t.db, org, {
      entity: 'customers',
      input,
      mode: 'accept-valid',
      format: 'csv',
      batchSize: 1000,
    });
    pending.catch(() => {});
    let landed = 0;
    for (let i = 0; i < 400 && landed < 4000; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const b = await t.db
        .selectFrom('import_batches')
        .select(['status', 'rows_created'])
        .where('org_id', '=', org)
        .executeTakeFirst();
      landed = b?.rows_created ?? 0;
    }
    const running = await t.db
      .selectFrom('import_batches')
      .selectAll()
      .where('org_id', '=', org)
      .executeTakeFirstOrThrow();
    expect(running.status).toBe('running');
    expect(running.rows_created).toBe(await count(t, 'customers', org));
    const failed = await failAbandonedImports(t.db, { embedded: true });
    expect(failed.find((f) => f.orgId === org)).toMatchObject({ created: running.rows_created });
    const after = await t.db
      .selectFrom('import_batches')
      .selectAll()
      .where('org_id', '=', org)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('failed');
    expect(after.failure).toMatch(new RegExp(`${running.rows_created} created`));
    input.destroy(new Error('killed'));
    await pending.catch(() => {});
  });

  it('item 10: strips invisible characters, refuses look-alike references, creates customers only when asked', async () => {
    const org = await newOrg(t);
    await run(t, org, 'customers', CUSTOMERS);
    const s = await run(
      t,
      org,
      'invoices',
      csv([
        INVOICE_HEADER,
        'F1;CLI001\u200B;Client Un SARL;2026-01-01;2026-02-01;10',
        'F2;cli001;Client Un;2026-01-01;2026-02-01;10',
        'F3;CLI 001;Client Un;2026-01-01;2026-02-01;10',
        'F4;NEW9;Nouveau SAS;2026-01-01;2026-02-01;10',
      ]),
    );
    expect(s).toMatchObject({ accepted: 1, rejected: 3, customersCreated: 0 });
    expect(s.errors.map((e) => [e.line, e.reason])).toEqual([
      [3, expect.stringMatching(/look-alike reference "CLI001"/)],
      [4, expect.stringMatching(/look-alike reference "CLI001"/)],
      [5, expect.stringMatching(/--create-customers/)],
    ]);
    const again = await run(
      t,
      org,
      'invoices',
      csv([
        INVOICE_HEADER,
        'F4;NEW9;Nouveau SAS;2026-01-01;2026-02-01;10',
        'F5;new 9;X;2026-01-01;2026-02-01;10',
      ]),
      { createCustomers: true },
    );
    expect(again, JSON.stringify(again.errors)).toMatchObject({
      accepted: 1,
      rejected: 1,
      customersCreated: 1,
    });
    expect(await count(t, 'customers', org)).toBe(2);
  });

  it('item 11: rejects implausible dates and zero invoices, naming the row', async () => {
    const org = await newOrg(t);
    await run(t, org, 'customers', CUSTOMERS);
    const s = await run(
      t,
      org,
      'invoices',
      csv([
        INVOICE_HEADER,
        'F1;CLI001;;0001-01-01;2026-02-01;10',
        'F2;CLI001;;2026-01-01;2026-02-01;0',
        'F3;CLI001;;2026-01-01;2026-02-01;10',
      ]),
    );
    expect(s.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'issueDate'],
      [3, 'gross'],
    ]);
    const p = await run(
      t,
      org,
      'payments',
      csv(['Référence;Code client;Date;Montant', 'P1;CLI001;2999-01-01;5']),
    );
    expect(p.errors[0]).toMatchObject({
      line: 2,
      field: 'receivedOn',
      reason: expect.stringMatching(/implausible date/),
    });
  });

  it('item 12: says a renamed CSV is not an XLSX, and an unreadable sheet without a stack trace', async () => {
    const org = await newOrg(t);
    await expect(
      importFile(t.db, org, {
        entity: 'customers',
        input: CUSTOMERS,
        filename: 'clients.xlsx',
        mode: 'accept-valid',
      }),
    ).rejects.toThrow(/not an XLSX workbook.*CSV/);
    await expect(
      importFile(t.db, org, {
        entity: 'customers',
        input: await xlsxWithoutAddresses(),
        filename: 'c.xlsx',
        mode: 'accept-valid',
      }),
    ).rejects.toThrow(/cells have no address/);
  });

  it('item 14: an unclosed quote is reported on the line where it opened', async () => {
    const org = await newOrg(t);
    const s = await run(
      t,
      org,
      'customers',
      csv(['Code client;Raison sociale', 'A1;Bon', 'A2;"Ouvert', 'A3;x', 'A4;y']),
    );
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatchObject({ line: 3, reason: expect.stringMatching(/opened on line 3/) });
  });
});

describeEngines('hostile import files through the API (issue 14)', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let auth: { authorization: string };

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    auth = (await orgWithKey(t.db, 'Imports API SAS')).auth;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const upload = (name: string, content: Buffer, mode = 'accept-valid') => {
    const up = fileUpload({ name, type: 'application/octet-stream', content });
    return app.inject({
      method: 'POST',
      url: `/api/v1/imports/customers?mode=${mode}`,
      headers: { ...auth, ...up.headers },
      payload: up.payload,
    });
  };

  it('answers a NUL cell and a 100 kB cell as rejected rows (422), never a 500', async () => {
    const r = await upload(
      'c.csv',
      csv(['Code client;Raison sociale', 'A1;Ma\u0000l', `${'K'.repeat(100_000)};x`, 'A3;Bon']),
    );
    expect(r.statusCode, r.body.slice(0, 300)).toBe(422);
    expect(r.json().summary).toMatchObject({ accepted: 1, rejected: 2 });
  });

  it('answers a renamed CSV and a sheet without addresses with 400 and a clear message', async () => {
    const a = await upload('c.xlsx', CUSTOMERS);
    expect(a.statusCode).toBe(400);
    expect(a.json().detail).toMatch(/it looks like a CSV/);
    const b = await upload('c.xlsx', await xlsxWithoutAddresses());
    expect(b.statusCode).toBe(400);
    expect(b.json().detail).toMatch(/cells have no address/);
  });
});

async function cliDatabase(engine: Engine): Promise<{
  env: Record<string, string>;
  use<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}> {
  if (engine === 'postgres') {
    const t = await createTestDb('postgres');
    return {
      env: { DATABASE_URL: t.url ?? '', RELANCE_DEMO: 'false' },
      use: <T>(fn: (db: Kysely<Database>) => Promise<T>) => fn(t.db),
      drop: () => t.drop(),
    };
  }
  const dataDir = tempDataDir();
  const first = await openDatabase({ dataDir });
  await migrate(first);
  await first.close();
  return {
    env: { DATA_DIR: dataDir, RELANCE_DEMO: 'false' },
    async use<T>(fn: (db: Kysely<Database>) => Promise<T>) {
      const h = await openDatabase({ dataDir });
      try {
        return await fn(h.db);
      } finally {
        await h.close();
      }
    },
    drop: async () => rmSync(dirname(dataDir), { recursive: true, force: true }),
  };
}

describeEngines('hostile import files through the CLI (issue 14)', (engine) => {
  let cli: Awaited<ReturnType<typeof cliDatabase>>;
  let dir = '';
  beforeAll(async () => {
    cli = await cliDatabase(engine);
    dir = mkdtempSync(join(tmpdir(), 'relance-hostile-'));
    const r = await runCliInProcess(['org', 'create', '--name', 'Hostile CLI SAS'], cli.env);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await cli.drop();
  });

  it('item 13: writes a reject report whose every text cell is quoted, ";=1+1" included', async () => {
    const file = join(dir, 'clients.csv');
    writeFileSync(file, 'Code client,Raison sociale,Email\nA1,Bon,a@b.fr\nA2,";=1+1",pas-un-email\n');
    const r = await runCliInProcess(['import', 'customers', file, '--mode', 'accept-valid'], cli.env);
    expect(r.code, r.stderr).toBe(7);
    const report = readFileSync(`${file}.rejects.csv`, 'utf8').trim().split('\n');
    expect(report[0]).toBe('"line","column","field","value","reason"');
    expect(report[1]).toMatch(/^3,"Email","email","pas-un-email","/);
    expect(report.join('\n')).not.toMatch(/(^|[,;])=/m);
  });

  it('items 8 and 12: a 100 kB cell is a rejected row (exit 7), a renamed CSV a clear error (exit 6)', async () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, `Code client;Raison sociale\nB1;${'x'.repeat(100_000)}\nB2;Ok\n`);
    const r = await runCliInProcess(['import', 'customers', big, '--mode', 'accept-valid'], cli.env);
    expect(r.code, r.stderr).toBe(7);
    expect(
      await cli.use((db) =>
        db.selectFrom('customers').select('external_ref').where('external_ref', 'in', ['B1', 'B2']).execute(),
      ),
    ).toEqual([{ external_ref: 'B2' }]);
    const renamed = join(dir, 'renamed.xlsx');
    writeFileSync(renamed, 'Code client;Raison sociale\nC1;x\n');
    const x = await runCliInProcess(['import', 'customers', renamed], cli.env);
    expect(x.code).toBe(6);
    expect(x.stderr).toMatch(/this file is a CSV, not an XLSX|looks like a CSV/);
  });
});
