import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/run-command.js';
import { runCliInProcess } from '../cli/in-process.js';
import { tempDataDir } from '../cli/spawn.js';

const SLOW = 240_000;
const fixture = (name: string) => join(import.meta.dirname, '../../fixtures/fec', name);

describe('relance import fec', () => {
  const dataDir = tempDataDir();
  const env = { DATA_DIR: dataDir, RELANCE_DEMO: 'false' };

  it(
    'imports a FEC, reports the dialect, counts and reconciliation; a dry run keeps nothing; a bad file exits 7 with a report',
    async () => {
      expect((await runCliInProcess(['org', 'create', '--name', 'Livres SARL'], env)).code).toBe(0);
      const dry = await runCliInProcess(
        ['import', 'fec', fixture('21-columns.txt'), '--dry-run', '--json'],
        env,
      );
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, invoices: { created: 3 } });

      const r = await runCliInProcess(
        ['import', 'fec', fixture('21-columns.txt'), '--terms-days', '45'],
        env,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('committed');
      expect(r.stdout).toContain('tab, utf-8, debit-credit, 21 columns');
      expect(r.stdout).toContain('3 new, 0 updated, 0 unchanged');
      expect(r.stdout).toContain('1 from DateRglt, 0 customer terms, 2 --terms-days');
      expect(r.stdout).toContain('reconciled    2/2 customers to the cent at 2026-01-28');

      const again = await runCliInProcess(['import', 'fec', fixture('21-columns.txt'), '--json'], env);
      expect(JSON.parse(again.stdout)).toMatchObject({ invoices: { created: 0, unchanged: 3 } });

      const bad = join(dataDir, '..', 'bad.txt');
      writeFileSync(bad, readFileSync(fixture('montant-sens.txt'), 'utf8').replace('\tD\t', '\tX\t'));
      const refused = await runCliInProcess(['import', 'fec', bad], env);
      expect(refused.code).toBe(EXIT.rowsRejected);
      expect(refused.stdout).toContain('REJECTED');
      expect(readFileSync(`${bad}.rejects.csv`, 'utf8')).toContain(
        '2,Sens,X,Sens must be D or C (or +1 / -1)',
      );

      const terms = await runCliInProcess(
        ['import', 'fec', fixture('21-columns.txt'), '--terms-days', 'soon'],
        env,
      );
      expect(terms.code).toBe(EXIT.invalid);
      expect(terms.stderr).toContain('--terms-days');
    },
    SLOW,
  );
});
