import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCustomer } from '../../../src/domain/import/validate.js';
import { declarationAmounts } from '../../../src/domain/solvency/declaration.js';
import {
  bornBeforeJudgment,
  classifyJudgment,
  creditorOutsideMetropolitanFrance,
  declarationDeadline,
  declarationPeriodExtended,
  dueStatusAt,
  extractMandataire,
  reservationOfTitleDeadline,
} from '../../../src/domain/solvency/judgments.js';
import {
  isValidSiren,
  isValidSiret,
  luhnValid,
  sirenProblem,
  siretProblem,
} from '../../../src/domain/solvency/siren.js';
import { parseBodaccFile, parseNoticeDate } from '../../../src/ingest/bodacc/notices.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/solvency');

describe('SIREN and SIRET keys (Luhn)', () => {
  it('accepts real numbers and rejects a changed digit', () => {
    expect(isValidSiren('732 829 320')).toBe(true);
    expect(isValidSiren('552100554')).toBe(true);
    expect(isValidSiren('732829321')).toBe(false);
    expect(sirenProblem('73282932')).toBe('a SIREN has 9 digits');
    expect(sirenProblem('732829321')).toContain('check digit');
    expect(isValidSiret('73282932000074')).toBe(true);
    expect(siretProblem('73282932000075')).toContain('SIRET check digit');
    expect(siretProblem('73282932100074')).toContain('SIREN part');
  });
  it('applies the La Poste rule (digit sum multiple of 5) to SIREN 356000000', () => {
    expect(isValidSiren('356000000')).toBe(true);
    expect(isValidSiret('35600000049837')).toBe(true); // digit sum 45
    expect(siretProblem('35600000000048')).toContain('La Poste'); // digit sum 26
  });
  it('luhn of an empty or non-digit string is false', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('12a')).toBe(false);
  });
  it('a customer import row with a wrong SIREN key names the field and why', () => {
    const ctx = {
      defaultCurrency: 'EUR',
      byField: { externalRef: 'externalRef', name: 'name', siren: 'siren', siret: 'siret' },
    };
    const bad = validateCustomer(4, { externalRef: 'C9', name: 'Z', siren: '732 829 321', siret: '' }, ctx);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors.map((e) => [e.field, e.reason])).toEqual([
      ['siren', 'the SIREN check digit is wrong (Luhn key)'],
    ]);
  });
});

describe('judgments and deadlines (Code de commerce)', () => {
  it('classifies the DILA judgment labels', () => {
    expect(classifyJudgment("Jugement d'ouverture", "Jugement d'ouverture de liquidation judiciaire")).toBe(
      'opening_liquidation',
    );
    expect(
      classifyJudgment(
        "Jugement d'ouverture",
        "Jugement d'ouverture d'une procédure de redressement judiciaire",
      ),
    ).toBe('opening_redressement');
    expect(
      classifyJudgment("Jugement d'ouverture", "Jugement d'ouverture d'une procédure de sauvegarde"),
    ).toBe('opening_sauvegarde');
    expect(classifyJudgment('Jugement prononçant', 'Jugement de conversion en liquidation judiciaire')).toBe(
      'conversion_liquidation',
    );
    expect(
      classifyJudgment(
        'Jugement prononçant',
        'Jugement de conversion en redressement judiciaire de la procédure de sauvegarde',
      ),
    ).toBe('conversion_redressement');
    expect(classifyJudgment('Jugement de clôture', "Jugement de clôture pour insuffisance d'actif")).toBe(
      'closure_insufficient_assets',
    );
    expect(classifyJudgment('Jugement de clôture', 'Jugement de clôture pour extinction du passif')).toBe(
      'closure_debts_paid',
    );
    expect(classifyJudgment('Extrait de jugement', 'Jugement arrêtant le plan de sauvegarde')).toBe('plan');
    expect(classifyJudgment('Avis de dépôt', "Dépôt de l'état des créances")).toBe('claims_list');
    expect(classifyJudgment('Extrait de jugement', "Jugement d'interdiction de gérer")).toBe('other');
  });
  it('R622-24: two months from publication, four outside metropolitan France, next working day (CPC 642)', () => {
    expect(declarationDeadline('2026-03-02', false)).toBe('2026-05-04'); // 2 May is a Saturday
    expect(declarationDeadline('2026-02-13', false)).toBe('2026-04-13');
    expect(declarationDeadline('2026-03-02', true)).toBe('2026-07-02');
    expect(declarationDeadline('2025-12-31', false)).toBe('2026-03-02'); // 28 Feb 2026 is a Saturday
    expect(declarationDeadline('2026-03-12', false)).toBe('2026-05-12');
  });
  it('L624-9: three months for goods under reservation of title', () => {
    expect(reservationOfTitleDeadline('2026-03-02')).toBe('2026-06-02');
  });
  it('the creditor is outside metropolitan France abroad or in the DOM-TOM', () => {
    expect(creditorOutsideMetropolitanFrance('FR', '75002')).toBe(false);
    expect(creditorOutsideMetropolitanFrance('FR', '97400')).toBe(true);
    expect(creditorOutsideMetropolitanFrance('BE', '1000')).toBe(true);
  });
  it('a claim born on the judgment day is born after it; échu / à échoir at the judgment date', () => {
    expect(bornBeforeJudgment('2026-02-24', '2026-02-25')).toBe(true);
    expect(bornBeforeJudgment('2026-02-25', '2026-02-25')).toBe(false);
    expect(dueStatusAt('2026-02-24', '2026-02-25')).toBe('echu');
    expect(dueStatusAt('2026-02-25', '2026-02-25')).toBe('a_echoir');
  });
  it('finds the mandataire in the notice text', () => {
    expect(
      extractMandataire(
        'Jugement prononçant la liquidation judiciaire, désignant liquidateur Selarl Guigon Associés 3, avenue Commandant Marceau - 25000 Besançon . Les créances sont à adresser…',
      ),
    ).toBe('Selarl Guigon Associés 3, avenue Commandant Marceau - 25000 Besançon');
    expect(extractMandataire(null)).toBeNull();
    expect(extractMandataire('Jugement sans désignation.')).toBeNull();
  });
});

describe('declaration amounts', () => {
  const inv = (n: string, issue: string, due: string, bal: number, interest = 0) => ({
    invoiceId: n,
    invoiceNumber: n,
    issueDate: issue,
    dueDate: due,
    currency: 'EUR',
    balanceMinor: bal,
    interestMinor: interest,
  });
  it('splits échu / à échoir, adds interest to the judgment, leaves later claims apart', () => {
    const a = declarationAmounts(
      [
        inv('A', '2026-01-05', '2026-02-04', 120_000, 1_234),
        inv('B', '2026-02-10', '2026-03-12', 60_001),
        inv('C', '2026-02-25', '2026-03-27', 30_000),
        inv('D', '2026-01-01', '2026-01-31', 0),
      ],
      '2026-02-25',
    );
    expect(a.echuMinor).toBe(120_000);
    expect(a.aEchoirMinor).toBe(60_001);
    expect(a.interestMinor).toBe(1_234);
    expect(a.totalMinor).toBe(181_235);
    expect(a.lines.map((l) => [l.invoiceNumber, l.status])).toEqual([
      ['A', 'echu'],
      ['B', 'a_echoir'],
    ]);
    expect(a.postJudgment.map((l) => l.invoiceNumber)).toEqual(['C']);
  });
});

describe('BODACC files', () => {
  it('reads French text dates of older notices', () => {
    expect(parseNoticeDate('10 décembre 2009')).toBe('2009-12-10');
    expect(parseNoticeDate('1er août 2024')).toBe('2024-08-01');
    expect(parseNoticeDate('04/02/2026')).toBe('2026-02-04');
    expect(parseNoticeDate('2014-12-35')).toBeNull();
    expect(parseNoticeDate('demain')).toBeNull();
  });
  it('reads the DILA CSV export like its JSON export', () => {
    const csv = parseBodaccFile(readFileSync(join(FIXTURES, 'bodacc-dila-export.csv'), 'utf8'));
    const json = parseBodaccFile(readFileSync(join(FIXTURES, 'bodacc-dila-export.json'), 'utf8'));
    expect(csv.notices).toHaveLength(2);
    expect(csv.notices).toEqual(json.notices);
    expect(csv.notices[0]).toMatchObject({
      siren: '732829320',
      kind: 'opening_redressement',
      judgmentDate: '2026-02-25',
      publicationDate: '2026-03-02',
      announcementNumber: '1201',
    });
  });
  it('names the record and field of a bad notice, and rejects a file that is not JSON', () => {
    const r = parseBodaccFile(
      JSON.stringify([
        { dateparution: '2026-13-01', numeroannonce: 1, registre: ['732829321'], jugement: '{' },
      ]),
    );
    expect(r.problems).toEqual([
      { record: 1, field: 'jugement', reason: 'not valid JSON', value: '{' },
      {
        record: 1,
        field: 'registre',
        reason: 'the SIREN check digit is wrong (Luhn key)',
        value: '732829321',
      },
      { record: 1, field: 'dateparution', reason: 'not a date', value: '2026-13-01' },
    ]);
    expect(() => parseBodaccFile('{"records": 3')).toThrow(/not valid JSON/);
  });
});

describe('R622-24 extension by the court territory', () => {
  it('adds two months for a creditor off the court territory, either way', () => {
    // Metropolitan court (Paris debtor): a Réunion creditor gets 4 months, a Lyon one 2.
    expect(declarationPeriodExtended({ country: 'FR', postalCode: '97400' }, '75011')).toBe(true);
    expect(declarationPeriodExtended({ country: 'FR', postalCode: '69003' }, '75011')).toBe(false);
    expect(declarationPeriodExtended({ country: 'DE', postalCode: '10115' }, '75011')).toBe(true);
    // Overseas court (Guadeloupe debtor): a Paris creditor gets 4, a Guadeloupe one 2.
    expect(declarationPeriodExtended({ country: 'FR', postalCode: '75002' }, '97110')).toBe(true);
    expect(declarationPeriodExtended({ country: 'FR', postalCode: '97122' }, '97110')).toBe(false);
    expect(declarationPeriodExtended({ country: 'FR', postalCode: '97400' }, '97110')).toBe(true);
  });
});
