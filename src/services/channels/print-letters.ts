import { type Kysely, sql } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import { withOrg } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';

/** One print run at most: a bigger batch is a stack nobody checks before posting. */
export const MAX_LETTERS_PER_PRINT = 100;

export interface PrintBatch {
  content: Buffer;
  letters: number;
  pages: number;
}

/**
 * Several queued letters as ONE PDF, in the order asked, to print in one go. Each letter
 * starts on an odd page (a blank page follows a letter with an odd page count, except the
 * last) so a duplex printer never puts two debtors' letters on the same sheet.
 * Reads only: printing is not posting, no status changes.
 */
export async function printLetters(db: Kysely<Database>, orgId: string, ids: string[]): Promise<PrintBatch> {
  if (ids.length === 0 || ids.length > MAX_LETTERS_PER_PRINT) {
    throw new AppError('VALIDATION', `between 1 and ${MAX_LETTERS_PER_PRINT} letters per print`, [
      { field: 'ids', value: String(ids.length), reason: `1 to ${MAX_LETTERS_PER_PRINT} letter ids` },
    ]);
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) {
      throw new AppError('VALIDATION', `letter ${id} is listed twice`, [
        { field: 'ids', value: id, reason: 'listed twice' },
      ]);
    }
    seen.add(id);
  }
  const stored = await withOrg(db, orgId, async (trx) => {
    // One query for the whole batch; the left join tells "no such letter" from "no stored PDF".
    const r = await sql<{ id: string; content: Uint8Array | null }>`
      select d.id, doc.content
      from message_deliveries d
      left join documents doc on doc.org_id = d.org_id and doc.id = d.document_id
      where d.org_id = ${orgId} and d.channel = 'letter' and d.id = any(${ids}::uuid[])`.execute(trx);
    return new Map(r.rows.map((row) => [row.id, row.content]));
  });
  const contents = ids.map((id) => {
    const content = stored.get(id);
    if (content === undefined) throw notFound('Letter', id);
    if (content === null) throw new AppError('NOT_FOUND', `letter ${id} has no stored PDF`);
    return content;
  });

  const out = await PDFDocument.create();
  for (const [i, bytes] of contents.entries()) {
    const src = await PDFDocument.load(bytes);
    const pages = await out.copyPages(src, src.getPageIndices());
    for (const p of pages) out.addPage(p);
    const last = pages[pages.length - 1];
    if (pages.length % 2 === 1 && i < ids.length - 1 && last) {
      out.addPage([last.getWidth(), last.getHeight()]);
    }
  }
  const content = Buffer.from(await out.save());
  return { content, letters: ids.length, pages: out.getPageCount() };
}
