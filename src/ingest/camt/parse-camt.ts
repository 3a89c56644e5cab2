import { XMLParser } from 'fast-xml-parser';
import { isIsoDate } from '../../domain/calendar/index.js';
import {
  isValidCreditorReference,
  normalizeCreditorReference,
  normalizeIban,
} from '../../domain/sepa/index.js';
import { AppError } from '../../errors.js';
import { parseCamtAmount } from './amount.js';
import type {
  CamtAccount,
  CamtBalance,
  CamtDocument,
  CamtEntry,
  CamtStatement,
  CamtStructuredReference,
  CamtTransaction,
  CreditDebit,
} from './types.js';

type XNode = { [key: string]: unknown };

// Elements that may repeat anywhere we read them; fast-xml-parser otherwise returns a lone
// element as an object and several as an array.
const REPEATED = new Set([
  'Stmt',
  'Ntfctn',
  'Rpt',
  'Bal',
  'Ntry',
  'NtryDtls',
  'TxDtls',
  'Ustrd',
  'Strd',
  'AddtlRmtInf',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Keep every value a string: amounts and references must not go through Number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

const ROOTS = {
  BkToCstmrStmt: { type: 'camt.053', item: 'Stmt' },
  BkToCstmrDbtCdtNtfctn: { type: 'camt.054', item: 'Ntfctn' },
  BkToCstmrAcctRpt: { type: 'camt.052', item: 'Rpt' },
} as const;

function reject(field: string, reason: string, value?: string): never {
  throw new AppError('IMPORT_REJECTED', `camt: ${field} ${reason}`, [
    value === undefined ? { field, reason } : { field, value, reason },
  ]);
}

function isNode(value: unknown): value is XNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(node: unknown, ...path: string[]): XNode | undefined {
  let current: unknown = node;
  for (const key of path) {
    if (!isNode(current)) return undefined;
    current = current[key];
    if (Array.isArray(current)) current = current[0];
  }
  return isNode(current) ? current : undefined;
}

function list(node: unknown, key: string): XNode[] {
  if (!isNode(node)) return [];
  const value = node[key];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  // An empty element (<TxDtls/>) parses as '' rather than an object.
  return items.map((item) => (isNode(item) ? item : {}));
}

function text(node: unknown, ...path: string[]): string | undefined {
  let current: unknown = node;
  for (const key of path) {
    if (!isNode(current)) return undefined;
    current = current[key];
    if (Array.isArray(current)) current = current[0];
  }
  if (isNode(current)) current = current['#text'];
  if (typeof current !== 'string') return undefined;
  const trimmed = current.trim();
  return trimmed === '' ? undefined : trimmed;
}

function texts(node: unknown, key: string): string[] {
  if (!isNode(node)) return [];
  const value = node[key];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items
    .map((item) => (isNode(item) ? item['#text'] : item))
    .filter((item): item is string => typeof item === 'string' && item.trim() !== '')
    .map((item) => item.trim());
}

function amountOf(node: XNode | undefined, where: string) {
  if (!node) reject(where, 'is missing');
  const amt = isNode(node.Amt) ? node.Amt : undefined;
  if (node.Amt === undefined) reject(`${where}/Amt`, 'is missing');
  return parseCamtAmount(
    text(node, 'Amt'),
    typeof amt?.['@Ccy'] === 'string' ? amt['@Ccy'] : undefined,
    `${where}/Amt`,
  );
}

function creditDebit(node: XNode, where: string): CreditDebit {
  const value = text(node, 'CdtDbtInd');
  if (value !== 'CRDT' && value !== 'DBIT') reject(`${where}/CdtDbtInd`, 'must be CRDT or DBIT', value ?? '');
  return value;
}

/** A date element holds either Dt or DtTm; a DtTm keeps the bank's own calendar day. */
function dateOf(node: XNode | undefined, where: string): string | undefined {
  if (!node) return undefined;
  const value = text(node, 'Dt') ?? text(node, 'DtTm')?.slice(0, 10);
  if (value === undefined) return undefined;
  if (!isIsoDate(value)) reject(where, 'is not a valid date', value);
  return value;
}

/** SEPA's placeholder for "the payer gave no end-to-end reference". */
const absentReference = (value: string | undefined) => (value === 'NOTPROVIDED' ? undefined : value);

/** v2 has Dbtr/Nm, v8 wraps it as Dbtr/Pty/Nm. */
function partyName(parties: XNode | undefined, role: string): string | undefined {
  return text(parties, role, 'Pty', 'Nm') ?? text(parties, role, 'Nm');
}

function account(node: XNode | undefined): CamtAccount {
  const result: CamtAccount = {};
  const iban = text(node, 'Id', 'IBAN');
  if (iban) result.iban = normalizeIban(iban);
  const other = text(node, 'Id', 'Othr', 'Id');
  if (other) result.otherId = other;
  const currency = text(node, 'Ccy');
  if (currency) result.currency = currency;
  const owner = text(node, 'Ownr', 'Nm') ?? text(node, 'Ownr', 'Pty', 'Nm');
  if (owner) result.ownerName = owner;
  return result;
}

function bankTransactionCode(node: XNode | undefined): string | undefined {
  const domain = text(node, 'Domn', 'Cd');
  if (domain) {
    return [domain, text(node, 'Domn', 'Fmly', 'Cd'), text(node, 'Domn', 'Fmly', 'SubFmlyCd')]
      .filter(Boolean)
      .join('/');
  }
  return text(node, 'Prtry', 'Cd');
}

function transaction(node: XNode, where: string): CamtTransaction {
  const parties = at(node, 'RltdPties');
  const remittance = at(node, 'RmtInf');
  const structured = list(remittance, 'Strd');
  const structuredReferences: CamtStructuredReference[] = [];
  const additionalRemittance: string[] = [];
  for (const strd of structured) {
    const ref = text(strd, 'CdtrRefInf', 'Ref');
    if (ref) {
      const item: CamtStructuredReference = { reference: ref };
      const type =
        text(strd, 'CdtrRefInf', 'Tp', 'CdOrPrtry', 'Cd') ??
        text(strd, 'CdtrRefInf', 'Tp', 'CdOrPrtry', 'Prtry');
      if (type) item.type = type;
      const issuer = text(strd, 'CdtrRefInf', 'Tp', 'Issr');
      if (issuer) item.issuer = issuer;
      structuredReferences.push(item);
    }
    additionalRemittance.push(...texts(strd, 'AddtlRmtInf'));
  }
  const tx: CamtTransaction = {
    remittanceUnstructured: texts(remittance, 'Ustrd'),
    structuredReferences,
    additionalRemittance,
  };
  if (isNode(node) && node.Amt !== undefined) tx.amount = amountOf(node, where);
  if (text(node, 'CdtDbtInd')) tx.creditDebit = creditDebit(node, where);
  const set = <K extends keyof CamtTransaction>(key: K, value: CamtTransaction[K] | undefined) => {
    if (value !== undefined) tx[key] = value;
  };
  set('endToEndId', absentReference(text(node, 'Refs', 'EndToEndId')));
  set('instructionId', text(node, 'Refs', 'InstrId'));
  set('accountServicerReference', text(node, 'Refs', 'AcctSvcrRef'));
  set('debtorName', partyName(parties, 'Dbtr'));
  const debtorIban = text(parties, 'DbtrAcct', 'Id', 'IBAN');
  set('debtorIban', debtorIban ? normalizeIban(debtorIban) : undefined);
  set('ultimateDebtorName', partyName(parties, 'UltmtDbtr'));
  set('creditorName', partyName(parties, 'Cdtr'));
  const creditorIban = text(parties, 'CdtrAcct', 'Id', 'IBAN');
  set('creditorIban', creditorIban ? normalizeIban(creditorIban) : undefined);
  const rf = structuredReferences.find((r) => isValidCreditorReference(r.reference));
  set('creditorReference', rf ? normalizeCreditorReference(rf.reference) : undefined);
  return tx;
}

function entry(node: XNode, index: number, where: string): CamtEntry {
  const result: CamtEntry = {
    index,
    amount: amountOf(node, where),
    creditDebit: creditDebit(node, where),
    reversal: text(node, 'RvslInd') === 'true',
    transactions: list(node, 'NtryDtls').flatMap((details, d) =>
      list(details, 'TxDtls').map((tx, t) => transaction(tx, `${where}/NtryDtls[${d + 1}]/TxDtls[${t + 1}]`)),
    ),
  };
  // v2 writes <Sts>BOOK</Sts>, v8 <Sts><Cd>BOOK</Cd></Sts>.
  const status = text(node, 'Sts', 'Cd') ?? text(node, 'Sts');
  if (status) result.status = status;
  const booking = dateOf(at(node, 'BookgDt'), `${where}/BookgDt`);
  if (booking) result.bookingDate = booking;
  const value = dateOf(at(node, 'ValDt'), `${where}/ValDt`);
  if (value) result.valueDate = value;
  const ntryRef = text(node, 'NtryRef');
  if (ntryRef) result.entryReference = ntryRef;
  const servicerRef = text(node, 'AcctSvcrRef');
  if (servicerRef) result.accountServicerReference = servicerRef;
  const code = bankTransactionCode(at(node, 'BkTxCd'));
  if (code) result.bankTransactionCode = code;
  const info = text(node, 'AddtlNtryInf');
  if (info) result.additionalInfo = info;
  return result;
}

function balance(node: XNode, where: string): CamtBalance {
  const result: CamtBalance = {
    type: text(node, 'Tp', 'CdOrPrtry', 'Cd') ?? text(node, 'Tp', 'CdOrPrtry', 'Prtry') ?? '',
    amount: amountOf(node, where),
    creditDebit: creditDebit(node, where),
  };
  const date = dateOf(at(node, 'Dt'), `${where}/Dt`);
  if (date) result.date = date;
  return result;
}

function statement(node: XNode, where: string): CamtStatement {
  const id = text(node, 'Id');
  if (!id) reject(`${where}/Id`, 'is missing');
  const result: CamtStatement = {
    id,
    account: account(at(node, 'Acct')),
    balances: list(node, 'Bal').map((b, i) => balance(b, `${where}/Bal[${i + 1}]`)),
    entries: list(node, 'Ntry').map((e, i) => entry(e, i + 1, `${where}/Ntry[${i + 1}]`)),
  };
  const created = text(node, 'CreDtTm');
  if (created) result.createdAt = created;
  const seq = text(node, 'ElctrncSeqNb');
  if (seq) result.electronicSequenceNumber = seq;
  return result;
}

/**
 * Parse an ISO 20022 bank-to-customer message (camt.053 statement, camt.054 notification,
 * camt.052 report; schema versions 001.02 to 001.08 share the elements read here).
 */
export function parseCamt(xml: string | Buffer): CamtDocument {
  const source = typeof xml === 'string' ? xml : xml.toString('utf8');
  // ISO 20022 messages never need a DTD; refusing one rules out entity-expansion bombs.
  if (/<!DOCTYPE/i.test(source)) reject('Document', 'must not contain a DOCTYPE declaration');
  let tree: unknown;
  try {
    tree = parser.parse(source, true);
  } catch (error) {
    reject(
      'Document',
      `is not well-formed XML (${(error as { message?: string }).message ?? 'parse error'})`,
    );
  }
  const document = at(tree, 'Document');
  if (!document) reject('Document', 'is missing: not an ISO 20022 message');
  const rootName = Object.keys(ROOTS).find((name) => document[name] !== undefined) as
    | keyof typeof ROOTS
    | undefined;
  if (!rootName) reject('Document', 'holds no camt.052, camt.053 or camt.054 message');
  const root = at(document, rootName) ?? {};
  const { type, item } = ROOTS[rootName];
  const namespace = /urn:iso:std:iso:20022:tech:xsd:camt\.05[234]\.(\d{3}\.\d{2})/.exec(source);
  const messageId = text(root, 'GrpHdr', 'MsgId');
  if (!messageId) reject(`${rootName}/GrpHdr/MsgId`, 'is missing');
  const result: CamtDocument = {
    messageType: type,
    version: namespace?.[1] ?? 'unknown',
    messageId,
    statements: list(root, item).map((s, i) => statement(s, `${item}[${i + 1}]`)),
  };
  const created = text(root, 'GrpHdr', 'CreDtTm');
  if (created) result.createdAt = created;
  return result;
}
