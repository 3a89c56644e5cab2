import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/run-command.js';
import { runCliInProcess } from './in-process.js';
import { tempDataDir } from './spawn.js';

const SLOW = 240_000;
const US = join(import.meta.dirname, '../../fixtures/imports/invoices-us.csv');

describe('relance import of a US-dated AR file (issue 17 §3)', () => {
  const dataDir = tempDataDir();
  const env = { DATA_DIR: dataDir };

  it(
    'imports it with --create-customers only, and takes --date-format and --decimal-separator from a mapping file',
    async () => {
      expect((await runCliInProcess(['org', 'create', '--name', 'US Dates SAS'], env)).code).toBe(0);
      const r = await runCliInProcess(['import', 'invoices', US, '--create-customers', '--json'], env);
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(EXIT.ok);
      const s = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(s).toMatchObject({
        rowsRead: 20,
        accepted: 20,
        rejected: 0,
        created: 20,
        customersCreated: 5,
        disputesOpened: 2,
        dateColumns: { InvoiceDate: { order: 'month/day' }, DueDate: { order: 'month/day' } },
      });

      // Every date reads both ways: refused without a guess, read with the mapping's format.
      const file = join(dataDir, '..', 'ambiguous.csv');
      writeFileSync(
        file,
        'Cust;Num;InvoiceDate;DueDate;InvoiceAmount\nUSC-1;Z1;03/04/2013;04/05/2013;1.234,50\n',
      );
      const refused = await runCliInProcess(
        [
          'import',
          'invoices',
          file,
          '--map',
          'Cust=customerRef',
          '--map',
          'Num=invoiceNumber',
          '--create-customers',
        ],
        env,
      );
      expect(refused.code).not.toBe(EXIT.ok);
      expect(refused.stderr).toMatch(/--date-format/);
      const mapping = join(dataDir, '..', 'mapping.json');
      writeFileSync(
        mapping,
        JSON.stringify({
          columns: { Cust: 'customerRef', Num: 'invoiceNumber' },
          dateFormat: 'MM/DD/YYYY',
          decimalSeparator: ',',
        }),
      );
      const ok = await runCliInProcess(
        ['import', 'invoices', file, '--mapping', mapping, '--create-customers', '--json'],
        env,
      );
      expect(ok.code).toBe(EXIT.ok);
      expect(JSON.parse(ok.stdout)).toMatchObject({
        accepted: 1,
        dateColumns: { InvoiceDate: { order: 'month/day', decidedBy: '--date-format' } },
      });
    },
    SLOW,
  );
});
