import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.js';
import { migrate } from '../../../src/db/migrate.js';
import { plain, readPdf } from '../../unit/channels/pdf-text.js';
import { seedCase } from '../law/case-fixture.js';
import { runCliInProcess } from './in-process.js';
import { tempDataDir } from './spawn.js';

const SLOW = 240_000;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('relance escalation on the embedded database', () => {
  const dataDir = tempDataDir();
  const env = { DATA_DIR: dataDir, RELANCE_DEMO: 'false' };

  beforeAll(async () => {
    const h = await openDatabase({ dataDir });
    await migrate(h);
    await seedCase(h.db);
    await h.close();
  }, SLOW);

  it(
    'exports the escalation file of a customer by its reference',
    async () => {
      const out = join(dataDir, '..', 'dossier.zip');
      const r = await runCliInProcess(
        ['escalation', 'export', '--customer', 'CLI042', '--date', '2025-09-30', '--out', out],
        env,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const zip = readFileSync(out);
      expect(r.stdout).toContain(`SHA-256 ${sha(zip)}`);
      const files = unzipSync(new Uint8Array(zip));
      const manifest = JSON.parse(strFromU8(files['manifest.json'] as Uint8Array));
      expect(manifest.customer).toBe('CLI042');
      for (const f of manifest.files) expect(sha(files[f.path] as Uint8Array)).toBe(f.sha256);
    },
    SLOW,
  );

  it(
    'writes the mise en demeure, and names an unknown customer reference',
    async () => {
      const out = join(dataDir, '..', 'mise-en-demeure.pdf');
      const r = await runCliInProcess(
        ['escalation', 'notice', '--customer', 'CLI042', '--date', '2025-09-30', '--out', out],
        env,
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('to pay by 2025-10-15');
      expect(r.stdout).toContain('not claimed: F-2025-003');
      expect(plain((await readPdf(readFileSync(out))).text.join('\n'))).toContain('7 816,60 €');

      const bad = await runCliInProcess(['escalation', 'export', '--customer', 'NOPE', '--out', out], env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('no customer with reference "NOPE"');
    },
    SLOW,
  );
});
