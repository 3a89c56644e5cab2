import type { BankLine } from '../../domain/matching/index.js';
import { checkCurrency, isoDate, parseSignedAmount, rejected } from '../bank-statement/amount.js';
import type { ParsedBankFile, ParsedStatement } from '../bank-statement/types.js';

/**
 * OFX statements, both dialects: 1.x SGML (leaf elements are not closed, "Money" files of
 * French banks) and 2.x XML. The tree is rebuilt from the tags: an element whose text is not
 * blank is a leaf, anything else an aggregate closed by its end tag.
 */
interface Node {
  name: string;
  leaves: Map<string, string>;
  children: Node[];
  line: number;
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');

function tree(text: string): Node {
  const body = text
    // Commented-out parts are absent, as an XML reader would see them.
    .replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ''))
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, c: string) => c.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
    .replace(/<\?[\s\S]*?\?>/g, '');
  const root: Node = { name: '#root', leaves: new Map(), children: [], line: 1 };
  const stack: Node[] = [root];
  const re = /<(\/?)([A-Za-z0-9._]+)[^>]*>([^<]*)/g;
  let pendingLeaf: string | undefined;
  for (const m of body.matchAll(re)) {
    const closing = m[1] === '/';
    const name = (m[2] ?? '').toUpperCase();
    const value = decode(m[3] ?? '').trim();
    const line = body.slice(0, m.index).split('\n').length;
    const top = stack.at(-1) as Node;
    if (closing) {
      if (pendingLeaf === name) {
        pendingLeaf = undefined;
        continue;
      }
      const at = stack.map((n) => n.name).lastIndexOf(name);
      if (at > 0) stack.length = at;
      pendingLeaf = undefined;
      continue;
    }
    if (value !== '') {
      top.leaves.set(name, value);
      pendingLeaf = name;
    } else {
      const node: Node = { name, leaves: new Map(), children: [], line };
      top.children.push(node);
      stack.push(node);
      pendingLeaf = undefined;
    }
  }
  return root;
}

function all(node: Node, name: string): Node[] {
  const out: Node[] = [];
  for (const c of node.children) {
    if (c.name === name) out.push(c);
    out.push(...all(c, name));
  }
  return out;
}

function ofxDate(value: string | undefined, line: number, field: string): string {
  const m = /^([0-9]{4})([0-9]{2})([0-9]{2})/.exec(value ?? '');
  const iso = m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  if (!iso)
    throw rejected(`line ${line}: ${field} "${value ?? ''}" is not a date`, {
      line,
      field,
      value: value ?? '',
      reason: 'YYYYMMDD[hhmmss]',
    });
  return iso;
}

export function isOfx(text: string): boolean {
  return /OFXHEADER/.test(text.slice(0, 500)) || /<OFX>/i.test(text.slice(0, 2000));
}

export function parseOfx(content: Buffer | string): ParsedBankFile {
  const raw = typeof content === 'string' ? content : content.toString('latin1');
  const text =
    /CHARSET:(1252|ISO-8859-1)/i.test(raw) || typeof content === 'string' ? raw : content.toString('utf8');
  const root = tree(text);
  const statements: ParsedStatement[] = [];
  for (const rs of [...all(root, 'STMTRS'), ...all(root, 'CCSTMTRS')]) {
    const curdef = rs.leaves.get('CURDEF');
    if (!curdef)
      throw rejected(`line ${rs.line}: the statement (${rs.name}) has no currency (CURDEF)`, {
        line: rs.line,
        field: `${rs.name}/CURDEF`,
        reason: 'required',
      });
    const currency = checkCurrency(curdef, { line: rs.line, field: `${rs.name}/CURDEF` });
    const acct = rs.children.find((c) => c.name === 'BANKACCTFROM' || c.name === 'CCACCTFROM');
    const account = acct?.leaves.get('ACCTID');
    if (!account)
      throw rejected(`line ${rs.line}: the statement (${rs.name}) has no account (ACCTID)`, {
        line: rs.line,
        field: `${rs.name}/BANKACCTFROM/ACCTID`,
        reason: 'required',
      });
    const ledger = rs.children.find((c) => c.name === 'LEDGERBAL');
    const id = `${acct?.leaves.get('BANKID') ?? ''}:${account}`;
    const s: ParsedStatement = { id, account, currency, lines: [] };
    if (ledger?.leaves.get('BALAMT')) {
      s.closing = {
        amountMinor: parseSignedAmount(
          ledger.leaves.get('BALAMT') ?? '',
          currency,
          decimalOf(ledger.leaves.get('BALAMT') ?? ''),
          {
            line: ledger.line,
            field: 'LEDGERBAL/BALAMT',
          },
        ),
        date: ofxDate(ledger.leaves.get('DTASOF'), ledger.line, 'LEDGERBAL/DTASOF'),
      };
    }
    for (const tr of all(rs, 'STMTTRN')) {
      for (const field of ['TRNAMT', 'DTPOSTED', 'FITID'])
        if (!tr.leaves.get(field))
          throw rejected(`line ${tr.line}: transaction ${tr.leaves.get('FITID') ?? '?'} has no ${field}`, {
            line: tr.line,
            field: `STMTTRN/${field}`,
            reason: 'required',
          });
      const amountText = tr.leaves.get('TRNAMT') ?? '';
      const signed = parseSignedAmount(amountText, currency, decimalOf(amountText), {
        line: tr.line,
        field: 'STMTTRN/TRNAMT',
      });
      const name = tr.leaves.get('NAME') ?? tr.leaves.get('PAYEE');
      const memo = tr.leaves.get('MEMO');
      const line: BankLine = {
        id: `${id}:${tr.leaves.get('FITID')}`,
        amount: { amount: Math.abs(signed), currency },
        creditDebit: signed < 0 ? 'DBIT' : 'CRDT',
        bookingDate: ofxDate(tr.leaves.get('DTPOSTED'), tr.line, 'STMTTRN/DTPOSTED'),
      };
      if (name) line.debtorName = name;
      const texts = [memo, tr.leaves.get('REFNUM')].filter((t): t is string => Boolean(t));
      if (texts.length > 0) line.remittanceText = texts.join(' ');
      s.lines.push(line);
    }
    statements.push(s);
  }
  if (statements.length === 0)
    throw rejected('The file holds no OFX statement (STMTRS)', {
      field: 'file',
      reason: 'no STMTRS element',
    });
  return { format: 'ofx', messageId: statements[0]?.id ?? '', statements };
}

/** French banks' OFX writes "-34,51"; the standard writes "-34.51". */
function decimalOf(amount: string): ',' | '.' {
  return /,[0-9]{1,3}$/.test(amount.trim()) && !amount.includes('.') ? ',' : '.';
}
