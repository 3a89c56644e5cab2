/**
 * A CSV file of what a table shows. French users open it in a French spreadsheet: `;` as the
 * separator (the comma is the decimal mark) and a UTF-8 byte-order mark so accents survive.
 */
export function toCsv(header: string[], rows: (string | number)[][], lang: 'fr' | 'en'): string {
  const sep = lang === 'fr' ? ';' : ',';
  const cell = (v: string | number) => {
    const s = String(v);
    return s.includes(sep) || /["\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [header, ...rows].map((r) => r.map(cell).join(sep));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The amount as a spreadsheet reads it in the given language: "1234,56" in French. */
export function csvAmount(decimal: string, lang: 'fr' | 'en'): string {
  return lang === 'fr' ? decimal.replace('.', ',') : decimal;
}

export function downloadCsv(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
