import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { createPortalLink } from '../../../src/services/portal/create-portal-link.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, NOW, orgWithKey, testServer } from '../api/factories.js';
import { repoRoot } from '../cli/spawn.js';

const SAMPLES = join(repoRoot, '../shared/data/camt');
const BASE = 'https://pay.example.com';

/** A multipart/form-data body with one file, as a browser or curl -F would send it. */
function fileUpload(name: string, content: Buffer) {
  const boundary = `----bank${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/xml\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const entry = (amount: string, ind: 'CRDT' | 'DBIT', tx: string) => `<Ntry><Amt Ccy="EUR">${amount}</Amt>
<CdtDbtInd>${ind}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-13</Dt></BookgDt>
<NtryDtls><TxDtls>${tx}</TxDtls></NtryDtls></Ntry>`;

const statement = (entries: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>RELANCE-TEST-2026-03-13</MsgId></GrpHdr>
<Stmt><Id>STMT-2026-03-13</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
${entries.join('\n')}
</Stmt></BkToCstmrStmt></Document>`;

const euros = (minor: number) => (minor / 100).toFixed(2);

interface ImportBody {
  matched: number;
  unmatched: number;
  ignored: number;
  alreadyImported: number;
  lines: {
    status: string;
    customerId: string | null;
    reasons: string[];
    allocations: { invoiceId: string }[];
  }[];
}

describeEngines('bank statement import and matching', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let orgId: string;
  let auth: { authorization: string };
  let customers: { id: string; name: string; external_ref: string }[];
  let invoices: { id: string; customer_id: string; invoice_number: string; balance_minor: number }[];

  const upload = (name: string, content: Buffer) => {
    const u = fileUpload(name, content);
    return app.inject({
      method: 'POST',
      url: '/api/v1/bank-statements',
      headers: { ...auth, ...u.headers },
      payload: u.payload,
    });
  };

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    const o = await orgWithKey(t.db, 'Omega Distribution SAS');
    orgId = o.org.id;
    auth = o.auth;
    await t.db
      .updateTable('organisations')
      .set({ iban: 'FR7630006000011234567890189' })
      .where('id', '=', orgId)
      .execute();
    customers = await makeCustomers(t.db, orgId, 3, (i) =>
      i === 2 ? { name: 'Name Name', external_ref: 'NN01' } : {},
    );
    invoices = await makeInvoices(
      t.db,
      orgId,
      customers.slice(0, 2).map((c) => c.id),
      4,
    );
    // The debtor of the sample statements owes exactly the 8.85 EUR it transfers.
    const nn = customers[2] as (typeof customers)[number];
    invoices.push(
      ...(await makeInvoices(t.db, orgId, [nn.id], 1, () => ({
        invoice_number: 'NN-2014-7',
        gross_minor: 885,
      }))),
    );
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('records the payments it can match (portal RF reference, invoice number), keeps the rest for review, and imports once', async () => {
    const [a, b] = customers as [(typeof customers)[number], (typeof customers)[number]];
    // The portal shows customer A an RF reference for everything A owes.
    const link = await withOrg(t.db, orgId, (trx) =>
      createPortalLink(trx, orgId, { customerId: a.id }, { baseUrl: BASE, now: NOW }),
    );
    const summary = await app.inject({
      method: 'GET',
      url: `/portal-api/${link.url.slice(`${BASE}/portal/`.length)}/summary`,
    });
    const rf = (summary.json() as { transfer: { reference: string } }).transfer.reference;
    const owedA = invoices.filter((i) => i.customer_id === a.id).reduce((s, i) => s + i.balance_minor, 0);
    const bInvoice = invoices.find((i) => i.customer_id === b.id) as (typeof invoices)[number];

    const xml = statement([
      entry(
        euros(owedA),
        'CRDT',
        `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${rf}</Ref></CdtrRefInf></Strd></RmtInf>`,
      ),
      entry(
        euros(bInvoice.balance_minor),
        'CRDT',
        `<RltdPties><Dbtr><Pty><Nm>${b.name}</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>Paiement facture ${bInvoice.invoice_number}</Ustrd></RmtInf>`,
      ),
      entry('1234.56', 'CRDT', '<RmtInf><Ustrd>VIREMENT DIVERS</Ustrd></RmtInf>'),
      entry('42.00', 'DBIT', '<RmtInf><Ustrd>Frais de tenue de compte</Ustrd></RmtInf>'),
    ]);
    const r = await upload('releve-2026-03-13.xml', Buffer.from(xml));
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as ImportBody;
    expect([body.matched, body.unmatched, body.ignored, body.alreadyImported]).toEqual([2, 1, 1, 0]);
    expect(body.lines[0]?.reasons).toContain('creditor-reference');
    expect(body.lines[0]?.customerId).toBe(a.id);
    expect(body.lines[1]?.reasons).toContain('invoice-number');
    expect(body.lines[1]?.allocations.map((x) => x.invoiceId)).toEqual([bInvoice.id]);

    const paidA = await t.db
      .selectFrom('invoices')
      .select(['balance_minor', 'status'])
      .where('customer_id', '=', a.id)
      .execute();
    expect(paidA.every((i) => Number(i.balance_minor) === 0)).toBe(true);
    const payments = await t.db.selectFrom('payments').selectAll().where('org_id', '=', orgId).execute();
    expect(payments).toHaveLength(2);
    expect(payments.every((p) => p.method === 'transfer' && p.received_on === '2026-03-13')).toBe(true);

    const review = await app.inject({
      method: 'GET',
      url: '/api/v1/bank-statement-lines?status=unmatched',
      headers: auth,
    });
    const items = (
      review.json() as { items: { amountMinor: number; remittance: string; reasons: string[] }[] }
    ).items;
    expect(items.map((i) => [i.amountMinor, i.remittance])).toEqual([[123_456, 'VIREMENT DIVERS']]);

    const again = await upload('releve-2026-03-13.xml', Buffer.from(xml));
    expect((again.json() as ImportBody).alreadyImported).toBe(4);
    expect(await t.db.selectFrom('payments').select('id').where('org_id', '=', orgId).execute()).toHaveLength(
      2,
    );
  });

  it('reads the public camt samples: matches the known payer, ignores debits and currencies with nothing open', async () => {
    const nn = customers[2] as (typeof customers)[number];
    const v8 = await upload('genkgo_camt053.v8.xml', readFileSync(join(SAMPLES, 'genkgo_camt053.v8.xml')));
    expect(v8.statusCode, v8.body).toBe(200);
    const body = v8.json() as ImportBody;
    expect(body.lines).toHaveLength(1);
    // Name and amount agree but the sample has no RF reference nor invoice number: the matcher
    // suggests the customer and leaves the call to a person.
    expect(body.lines[0]?.status).toBe('unmatched');
    expect(body.lines[0]?.reasons).toContain('customer-name');
    const review = await app.inject({
      method: 'GET',
      url: '/api/v1/bank-statement-lines?status=unmatched',
      headers: auth,
    });
    const line = (
      review.json() as {
        items: {
          id: string;
          counterparty: string;
          counterpartyIban: string;
          suggestion: { customerId: string };
        }[];
      }
    ).items.find((i) => i.counterparty === 'NAME NAME');
    expect(line?.suggestion.customerId).toBe(nn.id);
    expect(line?.counterpartyIban).toBe('NL56AGDH9619008421');
    const balanceOf = async () =>
      Number(
        (
          await t.db
            .selectFrom('invoices')
            .select('balance_minor')
            .where('invoice_number', '=', 'NN-2014-7')
            .executeTakeFirstOrThrow()
        ).balance_minor,
      );
    expect(await balanceOf()).toBe(885);
    // A person confirms the suggestion: the payment is recorded and the line leaves the list.
    const url = `/api/v1/bank-statement-lines/${line?.id}/match`;
    const ok = await app.inject({ method: 'POST', url, headers: auth, payload: {} });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ customerId: nn.id, allocatedMinor: 885 });
    expect(await balanceOf()).toBe(0);
    expect((await app.inject({ method: 'POST', url, headers: auth, payload: {} })).statusCode).toBe(409);

    const multi = (
      await upload('multi.xml', readFileSync(join(SAMPLES, 'genkgo_camt053.v2.multi.statement.xml')))
    ).json() as ImportBody;
    // A credit with nothing left to pay it against, and a debit.
    expect(multi.lines.map((l) => l.status).sort()).toEqual(['ignored', 'unmatched']);
    const chf = (
      await upload('camt054.xml', readFileSync(join(SAMPLES, 'genkgo_camt054.v8.xml')))
    ).json() as ImportBody;
    expect(chf.lines).toHaveLength(3);
    expect(chf.lines.every((l) => l.status === 'ignored' && l.reasons.includes('currency-mismatch'))).toBe(
      true,
    );

    const bad = await upload('not-camt.xml', Buffer.from('<Document><Nothing/></Document>'));
    expect(bad.statusCode).toBe(422);
  });
});
