import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectEncoding, openCsv } from '../../../src/ingest/csv-reader.js';
import { openSource } from '../../../src/ingest/open-source.js';
import type { RowSource, SourceRow } from '../../../src/ingest/types.js';
import { cellText } from '../../../src/ingest/xlsx-reader.js';

async function all(source: RowSource): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of source.rows) out.push(r);
  return out;
}

/** A stream that delivers the bytes in small chunks, cutting multi-byte characters. */
function trickle(buf: Buffer, size = 7): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

describe('CSV reader', () => {
  it('reads Windows-1252 with accents and a semicolon separator', async () => {
    const text =
      'N° facture;Raison sociale;Montant TTC\r\nF1;Société Générale;1 234,56\r\nF2;Crêperie Noël;10,00\r\n';
    const src = await openCsv(trickle(iconv.encode(text, 'windows-1252')));
    expect(src.detected).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(src.headers).toEqual(['N° facture', 'Raison sociale', 'Montant TTC']);
    const rows = await all(src);
    expect(rows.map((r) => r.cells['Raison sociale'])).toEqual(['Société Générale', 'Crêperie Noël']);
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it('strips a UTF-8 byte-order mark from the first header', async () => {
    const buf = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('Échéance,Montant\n2026-01-31,"1,50"\n'),
    ]);
    const src = await openCsv(trickle(buf, 3));
    expect(src.detected).toMatchObject({ encoding: 'utf-8', delimiter: ',' });
    expect(src.headers[0]).toBe('Échéance');
    expect((await all(src))[0]?.cells).toEqual({ Échéance: '2026-01-31', Montant: '1,50' });
  });

  it('reads UTF-8 without BOM even when a chunk cuts an accented letter', async () => {
    const src = await openCsv(trickle(Buffer.from('Client\tVille\nC1\tSaint-Étienne\n'), 2));
    expect(src.detected).toMatchObject({ encoding: 'utf-8', delimiter: '\t' });
    expect((await all(src))[0]?.cells.Ville).toBe('Saint-Étienne');
  });

  it('reports truncated rows and extra fields instead of dropping them', async () => {
    const src = await openCsv(Buffer.from('a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12'));
    const rows = await all(src);
    expect(rows.map((r) => [r.line, r.problem ?? 'ok'])).toEqual([
      [2, 'ok'],
      [3, expect.stringMatching(/2 fields, the header has 3 \(truncated/)],
      [4, expect.stringMatching(/4 fields/)],
      [5, 'ok'],
    ]);
  });

  it('reports a row cut inside an open quote at the end of the file', async () => {
    const rows = await all(await openCsv(Buffer.from('a,b\n1,2\n3,"unfinished\n')));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ line: 3, problem: expect.stringMatching(/unreadable row/) });
  });

  it('keeps quoted separators and line breaks inside a field, numbering rows by their first line', async () => {
    const rows = await all(await openCsv(Buffer.from('a;b\n"x;y";"two\nlines"\nz;w\n')));
    expect(rows.map((r) => [r.line, r.cells.a, r.cells.b])).toEqual([
      [2, 'x;y', 'two\nlines'],
      [4, 'z', 'w'],
    ]);
  });

  it('keeps formula-looking cells as plain text', async () => {
    const rows = await all(await openCsv(Buffer.from('a,b\n"=HYPERLINK(""http://x"",""y"")",@cmd\n')));
    expect(rows[0]?.cells).toEqual({ a: '=HYPERLINK("http://x","y")', b: '@cmd' });
  });

  it('skips blank lines and refuses an empty file', async () => {
    expect(await all(await openCsv(Buffer.from('a\n\n1\n\n')))).toHaveLength(1);
    await expect(openCsv(Buffer.from(''))).rejects.toThrow(/empty/);
  });

  it('detects the separator from the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('"a,1";"b,2"')).toBe(';');
    expect(detectDelimiter('a\tb')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
  });

  it('tells Windows-1252 from UTF-8 and does not judge a cut character', () => {
    expect(detectEncoding(iconv.encode('é', 'windows-1252'), true)).toBe('windows-1252');
    expect(detectEncoding(Buffer.from('é'), true)).toBe('utf-8');
    expect(detectEncoding(Buffer.from('abé').subarray(0, 3), false)).toBe('utf-8');
  });
});

describe('XLSX reader', () => {
  async function workbook(rows: unknown[][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Factures');
    for (const r of rows) ws.addRow(r);
    ws.getCell('A5').value = {
      formula: 'HYPERLINK("http://evil.example","x")',
      result: 'x',
    } as ExcelJS.CellValue;
    ws.getCell('E5').value = { formula: 'C4*2', result: 20 } as ExcelJS.CellValue;
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('streams the first sheet: dates as ISO, numbers as text, formulas never evaluated', async () => {
    const buf = await workbook([
      ['N° facture', 'Date facture', 'Montant TTC', 'Client', 'Total'],
      ['F1', new Date(Date.UTC(2026, 0, 15)), 1234.56, 'C1', ''],
      [],
      ['F2', '31/01/2026', 10, 'C2', ''],
    ]);
    const src = await openSource(Readable.from([buf]), { filename: 'factures.xlsx' });
    expect(src.detected).toMatchObject({ format: 'xlsx', sheet: 'Factures' });
    expect(src.headers).toEqual(['N° facture', 'Date facture', 'Montant TTC', 'Client', 'Total']);
    const rows = await all(src);
    expect(rows.map((r) => r.line)).toEqual([2, 4, 5]);
    expect(rows[0]?.cells).toMatchObject({ 'Date facture': '2026-01-15', 'Montant TTC': '1234.56' });
    expect(rows[1]?.cells['Date facture']).toBe('31/01/2026');
    expect(rows[2]?.cells['N° facture']).toBe('=HYPERLINK("http://evil.example","x")');
    expect(rows[2]?.cells.Total).toBe('20');
  });

  it('recognises an XLSX buffer by its zip signature without a file name', async () => {
    const buf = await workbook([['a'], ['1']]);
    expect((await openSource(buf)).detected.format).toBe('xlsx');
    expect((await openSource(Buffer.from('a,b\n1,2\n'))).detected.format).toBe('csv');
  });

  it('sniffs the format of a stream without a file name and still reads it whole', async () => {
    const xlsx = await openSource(trickle(await workbook([['a'], ['1']]), 512));
    expect(xlsx.detected.format).toBe('xlsx');
    const csv = await openSource(trickle(Buffer.from('a,b\n1,2\n3,4\n'), 2));
    expect(csv.detected.format).toBe('csv');
    expect((await all(csv)).map((r) => r.cells.b)).toEqual(['2', '4']);
  });

  it('turns rich text, hyperlinks and errors into their text', () => {
    expect(cellText({ richText: [{ text: 'Société ' }, { text: 'Martin' }] })).toBe('Société Martin');
    expect(cellText({ text: 'site', hyperlink: 'http://x' })).toBe('site');
    expect(cellText({ error: '#N/A' })).toBe('#N/A');
    expect(cellText(null)).toBe('');
  });
});
