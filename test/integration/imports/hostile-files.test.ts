import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { CUSTOMERS, count, invoiceRow, newOrg, run } from './helpers.js';

/**
 * 10,000 invoice rows with an error planted every 97th line, of rotating kinds. The test
 * knows which lines are bad by construction and checks that exactly those are reported.
 */
function hostileFile(rows: number): { buf: Buffer; badLines: number[] } {
  const out = ['N° facture;Code client;Date facture;Date d’échéance;Montant HT;TVA;Montant TTC;Libellé'];
  const badLines: number[] = [];
  for (let i = 1; i <= rows; i++) {
    const line = i + 1;
    const cust = `C00${(i % 3) + 1}`;
    let f = [`H-${i}`, cust, '15/01/2026', '2026-02-14', '100,00', '20,00', '120,00', 'Prestation é'];
    if (i % 97 === 0) {
      badLines.push(line);
      switch ((i / 97) % 7) {
        case 0:
          f[2] = '31/02/2026';
          break;
        case 1:
          f[6] = '12O,00';
          break;
        case 2:
          f[6] = '130,00';
          break;
        case 3:
          f[1] = 'C999';
          break;
        case 4:
          f[0] = 'H-1';
          break;
        case 5:
          f = f.slice(0, 4);
          break;
        default:
          f[3] = '2025-12-31';
      }
    }
    out.push(f.join(';'));
  }
  return { buf: iconv.encode(`${out.join('\r\n')}\r\n`, 'windows-1252'), badLines };
}

describeEngines('importFile with hostile files', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => t.drop());

  it('accounts for every row of a 10,000-row Windows-1252 file and reports exactly the bad lines', async () => {
    const org = await newOrg(t);
    await run(t, org, 'customers', CUSTOMERS);
    const { buf, badLines } = hostileFile(10_000);
    const progress: number[] = [];
    const s = await run(t, org, 'invoices', buf, { batchSize: 2_000, onProgress: (n) => progress.push(n) });
    expect(s.rowsRead).toBe(10_000);
    expect(s.accepted + s.rejected).toBe(10_000);
    expect(s.rejected).toBe(badLines.length);
    expect([...new Set(s.errors.map((e) => e.line))]).toEqual(badLines);
    expect(s.created).toBe(10_000 - badLines.length);
    expect(await count(t, 'invoices', org)).toBe(10_000 - badLines.length);
    expect(s.detected).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(progress.at(-1)).toBe(10_000);
    const desc = await invoiceRow(t, org, 'H-1');
    expect(desc?.description).toBe('Prestation é');

    const again = await run(t, org, 'invoices', buf, { mode: 'all-or-nothing' });
    expect(again).toMatchObject({
      status: 'rejected',
      accepted: 0,
      rejected: 10_000,
      rowsWithErrors: badLines.length,
    });
    expect(await count(t, 'invoices', org)).toBe(10_000 - badLines.length);
  });

  it('imports an XLSX workbook through the same pipeline', async () => {
    const org = await newOrg(t);
    await run(t, org, 'customers', CUSTOMERS);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Export');
    ws.addRow(['N° facture', 'Code client', 'Date facture', 'Échéance', 'Montant TTC', 'Libellé']);
    ws.addRow(['X-1', 'C001', new Date(Date.UTC(2026, 0, 10)), new Date(Date.UTC(2026, 1, 9)), 99.9, 'ok']);
    ws.addRow([
      'X-2',
      'C002',
      '10/01/2026',
      '09/02/2026',
      '1 000,00',
      '=HYPERLINK("http://evil.example","x")',
    ]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    // The text dates read both ways: the order is said (issue 17 §3), never guessed.
    const s = await run(t, org, 'invoices', buf, {
      format: undefined,
      filename: 'export.xlsx',
      dateFormat: 'DD/MM/YYYY',
    });
    expect(s).toMatchObject({ status: 'committed', rowsRead: 2, created: 2, rejected: 0 });
    expect(await invoiceRow(t, org, 'X-1')).toMatchObject({ gross_minor: 9990, due_date: '2026-02-09' });
    expect((await invoiceRow(t, org, 'X-2'))?.description).toBe('=HYPERLINK("http://evil.example","x")');
  });
});
