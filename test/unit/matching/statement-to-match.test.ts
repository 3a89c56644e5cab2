import { describe, expect, it } from 'vitest';
import { matchBankLines } from '../../../src/domain/matching/index.js';
import { money } from '../../../src/domain/money/index.js';
import { customerCreditorReference } from '../../../src/domain/sepa/index.js';
import { camtBankLines, parseCamt } from '../../../src/ingest/camt/index.js';

const ref = customerCreditorReference('org-1', 'ACME');

const entry = (
  amount: string,
  ccy: string,
  ind: string,
  tx: string,
) => `<Ntry><Amt Ccy="${ccy}">${amount}</Amt>
<CdtDbtInd>${ind}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-02-02</Dt></BookgDt>
<NtryDtls><TxDtls>${tx}</TxDtls></NtryDtls></Ntry>`;

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>BANK-2026-02-02</MsgId></GrpHdr>
<Stmt><Id>STMT-33</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
${entry('1500.00', 'EUR', 'CRDT', `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${ref}</Ref></CdtrRefInf></Strd></RmtInf>`)}
${entry('240.10', 'EUR', 'CRDT', '<RltdPties><Dbtr><Pty><Nm>BOULANGERIE MOREAU</Nm></Pty></Dbtr></RltdPties><RmtInf><Ustrd>FACT 2026-0042</Ustrd></RmtInf>')}
${entry('89.99', 'EUR', 'DBIT', '<RmtInf><Ustrd>Frais bancaires</Ustrd></RmtInf>')}
${entry('240.10', 'GBP', 'CRDT', '<RmtInf><Ustrd>FACT 2026-0042</Ustrd></RmtInf>')}
</Stmt></BkToCstmrStmt></Document>`;

describe('from a camt.053 statement to matches', () => {
  it('matches the reference and the invoice number, and ignores the debit and the foreign currency', () => {
    const lines = camtBankLines(parseCamt(xml));
    const results = matchBankLines(lines, {
      customers: [
        { customerId: 'acme', name: 'ACME SAS' },
        { customerId: 'moreau', name: 'Boulangerie Moreau' },
      ],
      invoices: [
        {
          invoiceId: 'a1',
          invoiceNumber: '2026-0017',
          customerId: 'acme',
          balanceDue: money(100_000, 'EUR'),
          dueDate: '2026-01-10',
        },
        {
          invoiceId: 'a2',
          invoiceNumber: '2026-0031',
          customerId: 'acme',
          balanceDue: money(50_000, 'EUR'),
          dueDate: '2026-01-25',
        },
        {
          invoiceId: 'm1',
          invoiceNumber: '2026-0042',
          customerId: 'moreau',
          balanceDue: money(24_010, 'EUR'),
          dueDate: '2026-01-31',
        },
      ],
      references: [{ reference: ref, customerId: 'acme' }],
    });
    expect(results.map((r) => [r.bankLineId, r.status])).toEqual([
      ['STMT-33:1', 'auto'],
      ['STMT-33:2', 'auto'],
      ['STMT-33:3', 'ignored'],
      ['STMT-33:4', 'ignored'],
    ]);
    expect(results[0]?.proposal?.allocations.map((a) => [a.invoiceId, a.amount.amount])).toEqual([
      ['a1', 100_000],
      ['a2', 50_000],
    ]);
    expect(results[1]?.proposal?.allocations.map((a) => [a.invoiceId, a.amount.amount])).toEqual([
      ['m1', 24_010],
    ]);
    expect(results[1]?.proposal?.reasons.map((r) => r.code)).toEqual(['invoice-number', 'customer-name']);
  });
});
