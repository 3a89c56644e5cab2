import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildEscalationFile } from '../../../src/services/law/build-escalation-file.js';
import { getEscalationEstimate } from '../../../src/services/law/estimate-escalation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { plain, readPdf } from '../../unit/channels/pdf-text.js';
import { type CaseFixture, seedCase } from './case-fixture.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describeEngines('escalation file of a ledger customer', (engine) => {
  let t: TestDb;
  let c: CaseFixture;
  beforeAll(async () => {
    t = await createTestDb(engine);
    c = await seedCase(t.db);
  });
  afterAll(async () => t.drop());

  it('zips the dossier, the case documents and the evidence log under a manifest of SHA-256', async () => {
    const f = await buildEscalationFile(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    const files = unzipSync(new Uint8Array(f.zip));
    const names = Object.keys(files).sort();
    expect(names).toEqual(
      [
        'SHA256SUMS',
        'dossier-recouvrement-CLI042-2025-09-30.pdf',
        'historique.csv',
        'historique.json',
        'manifest.json',
        'pieces/01-invoice-F-2025-001.pdf',
        'pieces/02-contract-contrat-cadre.pdf',
      ].sort(),
    );
    const manifest = JSON.parse(strFromU8(files['manifest.json'] as Uint8Array)) as typeof f.manifest;
    expect(manifest.files.map((x) => x.path).sort()).toEqual(
      names.filter((n) => n !== 'manifest.json' && n !== 'SHA256SUMS').sort(),
    );
    for (const entry of manifest.files) {
      const bytes = files[entry.path] as Uint8Array;
      expect(sha(bytes), entry.path).toBe(entry.sha256);
      expect(bytes.length).toBe(entry.sizeBytes);
    }
    // The stored documents travel byte for byte, with the hash recorded at upload.
    const invoiceDoc = c.documents.find((d) => d.filename === 'F-2025-001.pdf');
    expect(sha(files['pieces/01-invoice-F-2025-001.pdf'] as Uint8Array)).toBe(invoiceDoc?.sha256);
    const sums = strFromU8(files.SHA256SUMS as Uint8Array)
      .trim()
      .split('\n');
    expect(sums).toContain(`${invoiceDoc?.sha256}  pieces/01-invoice-F-2025-001.pdf`);

    const csv = strFromU8(files['historique.csv'] as Uint8Array);
    // UTF-8 BOM so spreadsheet software reads the accents (the decoder drops it).
    expect([...(files['historique.csv'] as Uint8Array).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.split('\r\n')[0]).toBe('seq,at,kind,channel,summary,content_sha256,prev_hash,hash,payload');
    expect(csv).toContain(c.letterSha256);
    const json = JSON.parse(strFromU8(files['historique.json'] as Uint8Array));
    expect(json.chain).toMatchObject({ ok: true, count: 2 });
    expect(json.entries).toHaveLength(2);

    const pdfBytes = Buffer.from(files['dossier-recouvrement-CLI042-2025-09-30.pdf'] as Uint8Array);
    expect(sha(pdfBytes)).toBe(f.pdf.sha256);
    const text = plain((await readPdf(pdfBytes)).text.join('\n')).replace(/ +/g, ' ');
    for (const s of [
      'Dossier de recouvrement',
      'Martin Bâtiment SARL',
      'SIREN 552 100 554',
      '7 816,60 €', // total claimed: see case-fixture.ts
      '6 273,81 €',
      '262,79 €',
      'Président du tribunal de commerce',
      'Cerfa n° 12946',
      'département 69',
      'Petites créances',
      'non éligible', // 7 473,81 + 262,79 > 5 000 €
      'Requête en injonction de payer',
      'art. L441-10 C. com.',
      'Estimation coût / bénéfice',
      '33,47 €', // commercial court fee, default setting
      'Calcul des pénalités, ligne par ligne',
      '01/07/2025',
      '12,15 %',
      "Petites créances (jusqu'à 5 000 €) : non éligible",
      'Chaîne de preuves vérifiée : 2 entrée(s)',
      c.letterSha256.slice(0, 20),
      'pieces/02-contract-contrat-cadre.pdf',
      'F-2025-003 : disputed',
    ]) {
      expect(text, s).toContain(s);
    }
  });

  it('builds the same archive twice', async () => {
    const a = await buildEscalationFile(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    const b = await buildEscalationFile(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    expect(a.zipSha256).toBe(b.zipSha256);
  });

  it('estimates each route from the settings, and tells whether the small-claims procedure is open', async () => {
    const e = await getEscalationEstimate(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    const ip = e.routes.find((r) => r.key === 'injonction_de_payer');
    // 7 816,60 × 0,6 = 4 689,96 expected recovery; fees 33,47 + 75 fixed + 150 × 0,6 = 198,47.
    expect(ip?.result.expectedRecovery).toEqual({ amount: 468_996, currency: 'EUR' });
    expect(ip?.result.expectedFees).toEqual({ amount: 19_847, currency: 'EUR' });
    expect(ip?.result.worthIt).toBe(true);
    expect(e.smallClaims?.eligible).toBe(false);

    await t.db
      .updateTable('organisations')
      .set({
        settings: JSON.stringify({
          escalation: {
            recoveryProbability: '0.1',
            injonctionFees: [{ kind: 'fixed', label: 'Avocat', amountMinor: 150_000 }],
          },
        }),
      })
      .where('id', '=', c.orgId)
      .execute();
    const later = await getEscalationEstimate(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    const ip2 = later.routes.find((r) => r.key === 'injonction_de_payer');
    expect(later.settingsSource).toBe('organisation');
    expect(ip2?.result.expectedFees).toEqual({ amount: 150_000, currency: 'EUR' });
    expect(ip2?.result.worthIt).toBe(false); // 781,66 € expected against 1 500 € of fees
  });
});
