import { AppError } from '../../errors.js';
import type { LetterContent } from '../channel.js';

/**
 * Turn the templates' plain-text letter (src/domain/templates: sender block, addressee
 * block, date line, optional title, "Objet : …" block, then the body) into LetterContent.
 * The PDF prints the sender, addressee, place/date and subject itself at their fixed
 * positions (the addressee in the envelope window), so those blocks are dropped here and
 * only the subject and the body (greeting, invoice list, payment details, signature) are
 * kept, as rendered: what was previewed and hashed is what is printed.
 */
const SUBJECT_RE = /^(Objet|Subject)\s*:\s*(.+)$/;

export function letterFromTemplate(
  letterText: string,
  opts: { place: string; date: string; registered?: boolean },
): LetterContent {
  const blocks = letterText.replace(/\r\n/g, '\n').split(/\n\s*\n/);
  const at = blocks.findIndex((b) => SUBJECT_RE.test(b.split('\n')[0]?.trim() ?? ''));
  if (at < 0) {
    throw new AppError('VALIDATION', 'rendered letter has no subject line ("Objet :" / "Subject:")', [
      { field: 'letter', reason: 'missing subject block' },
    ]);
  }
  const subjectBlock = blocks[at] ?? '';
  const [first = '', ...rest] = subjectBlock.split('\n');
  const subject = SUBJECT_RE.exec(first.trim())?.[2]?.trim() ?? '';
  // Lines under the subject (the customer reference) stay, as the first body paragraph.
  const body = [rest.join('\n').trim(), ...blocks.slice(at + 1)].filter((b) => b.trim() !== '').join('\n\n');
  return {
    subject,
    body,
    place: opts.place,
    date: opts.date,
    ...(opts.registered !== undefined ? { registered: opts.registered } : {}),
  };
}
