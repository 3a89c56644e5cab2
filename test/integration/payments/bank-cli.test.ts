import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../../../src/db/connection.js';
import { migrate } from '../../../src/db/migrate.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines } from '../../helpers/db.js';
import { makeCustomers, makeInvoices } from '../api/factories.js';
import { runCliInProcess as runCli } from '../cli/in-process.js';
import { tempDataDir } from '../cli/spawn.js';

const SLOW = 240_000;

describeEngines('relance bank import (CLI)', (engine) => {
  let env: Record<string, string>;
  let handle: DbHandle & { drop?: () => Promise<void> };
  let file: string;
  let orgId: string;

  beforeAll(async () => {
    if (engine === 'pglite') {
      const dataDir = tempDataDir();
      handle = await openDatabase({ dataDir });
      await migrate(handle);
      env = { DATA_DIR: dataDir, RELANCE_DEMO: 'false' };
    } else {
      const t = await createTestDb('postgres');
      handle = t;
      env = { DATABASE_URL: t.url as string, RELANCE_DEMO: 'false' };
    }
    orgId = (await createOrganisation(handle.db, { name: 'Sigma Conseil SARL' })).id;
    const [c] = await makeCustomers(handle.db, orgId, 1);
    const [inv] = await makeInvoices(handle.db, orgId, [c?.id as string], 1, () => ({
      invoice_number: 'FA-2026-0099',
      gross_minor: 150_000,
    }));
    file = join(tempDataDir(), '..', 'releve.xml');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>CLI-TEST-1</MsgId></GrpHdr>
<Stmt><Id>CLI-STMT-1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
<Ntry><Amt Ccy="EUR">1500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-10</Dt></BookgDt>
<NtryDtls><TxDtls><RmtInf><Ustrd>REGLEMENT ${inv?.invoice_number}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="EUR">77.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-10</Dt></BookgDt>
<NtryDtls><TxDtls><RmtInf><Ustrd>INCONNU</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>`,
    );
    // The CLI opens the database itself: the embedded one allows one process at a time.
    if (engine === 'pglite') await handle.close();
  }, SLOW);
  afterAll(async () => {
    if (engine === 'postgres') await handle.drop?.();
  });

  it(
    'records the matched payment, lists the line to review, and imports a statement once',
    async () => {
      const r = await runCli(['bank', 'import', file], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // Amounts are printed the French way, with no-break spaces.
      const out = r.stdout.replace(/[\u00a0\u202f]/g, ' ');
      expect(out).toContain('2 line(s) — 1 matched (1 500,00 € recorded), 1 to review, 0 ignored');
      expect(out).toContain('to review: 2026-03-10 77,00 €');
      const again = await runCli(['bank', 'import', file, '--json'], env);
      expect(again.code).toBe(0);
      const body = JSON.parse(again.stdout) as { alreadyImported: number; matched: number };
      expect(body).toMatchObject({ alreadyImported: 2, matched: 0 });
    },
    SLOW,
  );
});
