import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { camtBankLines, parseCamt, parseCamtAmount } from '../../../src/ingest/camt/index.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const sample = (name: string) => readFileSync(path.resolve(repoRoot, '../shared/data/camt', name));

// Expected values below were read from the XML files by hand.
describe('camt.053.001.02 minimal (genkgo)', () => {
  const doc = parseCamt(sample('genkgo_camt053.v2.minimal.xml'));
  const statement = doc.statements[0];
  const entry = statement?.entries[0];
  const tx = entry?.transactions[0];

  it('reads the message header and its one statement', () => {
    expect(doc.messageType).toBe('camt.053');
    expect(doc.version).toBe('001.02');
    expect(doc.messageId).toBe('CAMT053RIB000000000001');
    expect(doc.createdAt).toBe('2015-03-10T18:43:50+00:00');
    expect(doc.statements).toHaveLength(1);
    expect(statement?.id).toBe('253EURNL26VAYB8060476890');
    expect(statement?.electronicSequenceNumber).toBe('12312');
    expect(statement?.account).toEqual({ iban: 'NL26VAYB8060476890', currency: 'EUR' });
  });

  it('reads balances in exact minor units of each currency, JPY having no decimals', () => {
    expect(statement?.balances).toEqual([
      { type: 'OPBD', amount: { amount: 1815, currency: 'EUR' }, creditDebit: 'CRDT', date: '2014-12-30' },
      { type: 'CLBD', amount: { amount: 2700, currency: 'SEK' }, creditDebit: 'DBIT', date: '2014-12-31' },
      { type: 'OPAV', amount: { amount: 3500, currency: 'CHF' }, creditDebit: 'CRDT', date: '2014-12-30' },
      { type: 'CLAV', amount: { amount: 2700, currency: 'JPY' }, creditDebit: 'DBIT', date: '2014-12-31' },
    ]);
  });

  it('reads the entry amount, direction, status, dates and bank transaction code', () => {
    expect(statement?.entries).toHaveLength(1);
    expect(entry).toMatchObject({
      index: 1,
      amount: { amount: 885, currency: 'EUR' },
      creditDebit: 'CRDT',
      reversal: false,
      status: 'BOOK',
      bookingDate: '2014-12-31',
      valueDate: '2015-01-02',
      bankTransactionCode: '544',
    });
  });

  it('reads the debtor and the SCOR reference, which is not an ISO 11649 RF reference', () => {
    expect(entry?.transactions).toHaveLength(1);
    expect(tx?.debtorName).toBe('NAME NAME');
    expect(tx?.debtorIban).toBe('NL56AGDH9619008421');
    expect(tx?.creditorName).toBe('Company Name');
    expect(tx?.endToEndId).toBeUndefined();
    expect(tx?.structuredReferences).toEqual([
      { reference: '4654654654654654', type: 'SCOR', issuer: 'BBA' },
    ]);
    expect(tx?.creditorReference).toBeUndefined();
    expect(tx?.remittanceUnstructured).toEqual([]);
  });
});

describe('camt.053.001.02 with two statements (genkgo)', () => {
  const doc = parseCamt(sample('genkgo_camt053.v2.multi.statement.xml'));

  it('keeps the statements apart with their own balances and entries', () => {
    expect(doc.statements.map((s) => s.id)).toEqual(['253EURNL26VAYB8060476890', '254EURNL26VAYB8060476890']);
    expect(doc.statements.map((s) => s.entries.length)).toEqual([1, 1]);
    expect(doc.statements[1]?.balances.map((b) => [b.type, b.amount.amount])).toEqual([
      ['OPBD', 2700],
      ['CLBD', 2000],
    ]);
  });

  it('reads a credit and a debit with their end-to-end ids and free text', () => {
    const [first, second] = doc.statements.map((s) => s.entries[0]);
    expect(first?.amount).toEqual({ amount: 885, currency: 'EUR' });
    expect(first?.creditDebit).toBe('CRDT');
    expect(first?.transactions[0]?.endToEndId).toBe('000000001');
    expect(first?.transactions[0]?.remittanceUnstructured).toEqual(['Transaction Description 1']);
    expect(second?.amount).toEqual({ amount: 700, currency: 'EUR' });
    expect(second?.creditDebit).toBe('DBIT');
    expect(second?.bookingDate).toBe('2014-12-31');
    expect(second?.transactions[0]?.endToEndId).toBe('000000002');
    expect(second?.transactions[0]?.creditorName).toBe('Company Name 2');
  });

  it('turns each entry into one bank line named after its statement', () => {
    const lines = camtBankLines(doc);
    expect(lines.map((l) => [l.id, l.amount.amount, l.creditDebit, l.remittanceText])).toEqual([
      ['253EURNL26VAYB8060476890:1', 885, 'CRDT', 'Transaction Description 1'],
      ['254EURNL26VAYB8060476890:1', 700, 'DBIT', 'Transaction Description 2'],
    ]);
  });
});

describe('camt.053.001.08 (genkgo)', () => {
  const doc = parseCamt(sample('genkgo_camt053.v8.xml'));
  const statement = doc.statements[0];
  const entry = statement?.entries[0];
  const tx = entry?.transactions[0];

  it('reads version 8 and an account identified without IBAN', () => {
    expect(doc.version).toBe('001.08');
    expect(statement?.account).toEqual({ otherId: 'NL26VAYB8060476890', ownerName: 'FINPETROL' });
    expect(statement?.balances).toHaveLength(4);
  });

  it('reads the v8 status code, a booking date-time as its day, and the domain code', () => {
    expect(entry).toMatchObject({
      amount: { amount: 885, currency: 'EUR' },
      creditDebit: 'CRDT',
      reversal: false,
      status: 'BOOK',
      bookingDate: '2014-12-31',
      valueDate: '2015-01-02',
      accountServicerReference: 'AAAASESS-FP-CN_98765/01',
      bankTransactionCode: 'PMNT/RCDT/BOOK',
    });
  });

  it('reads parties wrapped in Pty and the transaction amount', () => {
    expect(tx?.endToEndId).toBe('MUELL/FINP/RA12345');
    expect(tx?.amount).toEqual({ amount: 0, currency: 'SEK' });
    expect(tx?.creditDebit).toBe('CRDT');
    expect(tx?.debtorName).toBe('NAME NAME');
    expect(tx?.debtorIban).toBe('NL56AGDH9619008421');
    expect(tx?.creditorName).toBe('Company Name');
    expect(tx?.structuredReferences[0]).toEqual({
      reference: '4654654654654654',
      type: 'SCOR',
      issuer: 'BBA',
    });
  });
});

describe('camt.054.001.08 batch notification (genkgo)', () => {
  const doc = parseCamt(sample('genkgo_camt054.v8.xml'));
  const notification = doc.statements[0];
  const entry = notification?.entries[0];

  it('reads the notification, its account and its one batch entry', () => {
    expect(doc.messageType).toBe('camt.054');
    expect(doc.version).toBe('001.08');
    expect(doc.messageId).toBe('AAAASESS-FP-ACCR001');
    expect(notification?.id).toBe('AAAASESS-FP-ACCR001');
    expect(notification?.account).toEqual({ iban: 'CH2801234000123456789', ownerName: 'UNIFITS GmbH' });
    expect(notification?.balances).toEqual([]);
    expect(notification?.entries).toHaveLength(1);
    expect(entry).toMatchObject({
      amount: { amount: 20000000, currency: 'SEK' },
      creditDebit: 'DBIT',
      status: 'BOOK',
      bookingDate: '2007-10-18',
      valueDate: '2007-10-18',
      accountServicerReference: 'ACSR160617103200001',
      bankTransactionCode: 'PMNT/ICDT/DMCT',
      additionalInfo: 'Order',
    });
    expect(entry?.transactions).toHaveLength(3);
  });

  it('reads each transfer of the batch with its amount, references and remittance', () => {
    const [t1, t2, t3] = entry?.transactions ?? [];
    expect(t1).toMatchObject({
      amount: { amount: 310, currency: 'CHF' },
      creditDebit: 'CRDT',
      endToEndId: 'UXC06170000006PI00001EE00001',
      instructionId: 'UXC06170000006PI00001II00001',
      debtorName: 'UNIFITS GmbH',
      debtorIban: 'CH2801234000123456789',
      creditorName: 'Example Creditor 3 - V1',
      creditorIban: 'CH4112345003131313131',
      remittanceUnstructured: ['Unstructured Remittance Information V1'],
      structuredReferences: [{ reference: 'ISR ref number V1', type: 'ISR Reference' }],
      additionalRemittance: ['Additional Remittance Information V1'],
    });
    expect(t2?.amount).toEqual({ amount: 320, currency: 'CHF' });
    expect(t2?.remittanceUnstructured).toEqual([]);
    expect(t3?.remittanceUnstructured).toEqual([
      'Unstructured Remittance Information V3 block 1',
      'Unstructured Remittance Information V3 block 2',
    ]);
    expect(t3?.structuredReferences.map((r) => [r.reference, r.type])).toEqual([
      ['Ref number V3 block 1', 'SCOR'],
      ['Ref number V3 block 2', 'SCOR'],
    ]);
  });

  it('splits the batch into one bank line per transfer', () => {
    const lines = camtBankLines(doc);
    expect(lines.map((l) => [l.id, l.amount.amount, l.amount.currency, l.creditDebit])).toEqual([
      ['AAAASESS-FP-ACCR001:1:1', 310, 'CHF', 'CRDT'],
      ['AAAASESS-FP-ACCR001:1:2', 320, 'CHF', 'CRDT'],
      ['AAAASESS-FP-ACCR001:1:3', 320, 'CHF', 'CRDT'],
    ]);
    expect(lines[0]).toMatchObject({
      bookingDate: '2007-10-18',
      debtorName: 'UNIFITS GmbH',
      debtorIban: 'CH2801234000123456789',
      structuredReference: 'ISR ref number V1',
      remittanceText: 'Unstructured Remittance Information V1 Additional Remittance Information V1',
    });
  });
});

/** A minimal camt.053 around one entry, for the cases the samples do not cover. */
function statementWith(entry: string, ns = 'camt.053.001.08'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${ns}"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-05T08:00:00+01:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>${entry}</Stmt>
</BkToCstmrStmt></Document>`;
}

const ntry = (amt: string, extra = '', ccy = 'EUR', ind = 'CRDT') =>
  `<Ntry><Amt Ccy="${ccy}">${amt}</Amt><CdtDbtInd>${ind}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2026-01-05</Dt></BookgDt>${extra}</Ntry>`;

describe('camt parsing rules', () => {
  it('reads an ISO 11649 reference from CdtrRefInf, however it is spaced', () => {
    const xml = statementWith(
      ntry(
        '120.00',
        `<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>
<Ref>RF18 5390 0754 7034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>`,
      ),
    );
    const tx = parseCamt(xml).statements[0]?.entries[0]?.transactions[0];
    expect(tx?.creditorReference).toBe('RF18539007547034');
    expect(tx?.endToEndId).toBeUndefined();
    expect(camtBankLines(parseCamt(xml))[0]?.structuredReference).toBe('RF18539007547034');
  });

  it('does not take a reference with a wrong RF check digit as a creditor reference', () => {
    const xml = statementWith(
      ntry(
        '1',
        '<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>RF19539007547034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>',
      ),
    );
    const tx = parseCamt(xml).statements[0]?.entries[0]?.transactions[0];
    expect(tx?.creditorReference).toBeUndefined();
    expect(tx?.structuredReferences[0]?.reference).toBe('RF19539007547034');
  });

  it.each([
    ['0.29', 'EUR', 29],
    ['1234567.89', 'EUR', 123456789],
    ['1.50', 'EUR', 150],
    ['1.5', 'EUR', 150],
    ['7', 'EUR', 700],
    ['2700', 'JPY', 2700],
    ['1.234', 'KWD', 1234],
    ['90071992547409.91', 'EUR', 9007199254740991],
  ])('reads the amount %s %s as %i minor units without floats', (text, ccy, minor) => {
    expect(parseCamtAmount(text, ccy, 'Amt').amount).toBe(minor);
    const entry = parseCamt(statementWith(ntry(text, '', ccy))).statements[0]?.entries[0];
    expect(entry?.amount).toEqual({ amount: minor, currency: ccy });
  });

  it.each([
    ['8.855', 'EUR', 'Stmt[1]/Ntry[1]/Amt'],
    ['-5.00', 'EUR', 'Stmt[1]/Ntry[1]/Amt'],
    ['1,50', 'EUR', 'Stmt[1]/Ntry[1]/Amt'],
    ['', 'EUR', 'Stmt[1]/Ntry[1]/Amt'],
    ['2700.5', 'JPY', 'Stmt[1]/Ntry[1]/Amt'],
    ['10.00', 'EURO', 'Stmt[1]/Ntry[1]/Amt/@Ccy'],
    ['90071992547409.92', 'EUR', 'Stmt[1]/Ntry[1]/Amt'],
  ])('refuses the amount %j %s naming %s', (text, ccy, field) => {
    try {
      parseCamt(statementWith(ntry(text, '', ccy)));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('IMPORT_REJECTED');
      expect((error as AppError).details[0]?.field).toBe(field);
    }
  });

  it('refuses an unknown credit/debit indicator, a bad date and a missing amount, naming the element', () => {
    const cases: [string, string][] = [
      [statementWith(ntry('1.00', '', 'EUR', 'CRED')), 'Stmt[1]/Ntry[1]/CdtDbtInd'],
      [statementWith(ntry('1.00', '<ValDt><Dt>2026-02-30</Dt></ValDt>')), 'Stmt[1]/Ntry[1]/ValDt'],
      [statementWith('<Ntry><CdtDbtInd>CRDT</CdtDbtInd></Ntry>'), 'Stmt[1]/Ntry[1]/Amt'],
    ];
    for (const [xml, field] of cases) {
      expect(() => parseCamt(xml)).toThrow(AppError);
      try {
        parseCamt(xml);
      } catch (error) {
        expect((error as AppError).details[0]?.field).toBe(field);
      }
    }
  });

  it('refuses what is not a camt message', () => {
    expect(() => parseCamt('not xml at all <')).toThrow(AppError);
    expect(() => parseCamt('<Invoice><ID>1</ID></Invoice>')).toThrow(/Document/);
    expect(() =>
      parseCamt(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>',
      ),
    ).toThrow(/camt/);
  });

  it('refuses a document type declaration, which could expand entities without bound', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>
${statementWith(ntry('1.00', '<AddtlNtryInf>&b;</AddtlNtryInf>')).replace('<?xml version="1.0" encoding="UTF-8"?>', '')}`;
    expect(() => parseCamt(bomb)).toThrow(/DOCTYPE/);
  });

  it('reads a reversal and keeps amounts with leading zeros exact', () => {
    const entry = parseCamt(statementWith(ntry('0012.30', '<RvslInd>true</RvslInd>'))).statements[0]
      ?.entries[0];
    expect(entry?.reversal).toBe(true);
    expect(entry?.amount.amount).toBe(1230);
  });

  it('reads version 2 party names and a camt.054 notification made by hand', () => {
    const xml = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>N1</MsgId></GrpHdr><Ntfctn><Id>N1-1</Id><Acct><Id><IBAN>fr76 3000 6000 0112 3456 7890 189</IBAN></Id></Acct>
${ntry('250.00', '<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Dupont SARL</Nm></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>FACT F-2024-118</Ustrd></RmtInf></TxDtls></NtryDtls>')}
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
    const doc = parseCamt(xml);
    expect(doc.messageType).toBe('camt.054');
    expect(doc.version).toBe('001.02');
    expect(doc.statements[0]?.account.iban).toBe('FR7630006000011234567890189');
    expect(camtBankLines(doc)).toEqual([
      {
        id: 'N1-1:1',
        amount: { amount: 25000, currency: 'EUR' },
        creditDebit: 'CRDT',
        reversal: false,
        bookingDate: '2026-01-05',
        debtorName: 'Dupont SARL',
        debtorIban: 'DE89370400440532013000',
        remittanceText: 'FACT F-2024-118',
      },
    ]);
  });
});
