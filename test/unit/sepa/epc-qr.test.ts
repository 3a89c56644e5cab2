import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { money } from '../../../src/domain/money/index.js';
import {
  buildEpcPayload,
  EPC_MAX_PAYLOAD_BYTES,
  type EpcPayload,
  type EpcPayloadInput,
  epcAmountFromDecimal,
  formatEpcAmount,
  parseEpcPayload,
  serializeEpcPayload,
} from '../../../src/domain/sepa/index.js';
import { AppError } from '../../../src/errors.js';
import { describeShared, hasSharedData, sharedData } from '../../helpers/shared-data.js';

const dataDir = sharedData('epc_qr');

interface VectorRow {
  id: string;
  byte_encoding: string;
  expected: 'valid' | 'format_only';
  payload_escaped: string;
  n_lines: string;
  byte_length: string;
}

const vectors: VectorRow[] = hasSharedData
  ? parse(readFileSync(path.join(dataDir, 'epc_qr_payload_vectors.csv')), { columns: true })
  : [];
const raw = (id: string) => readFileSync(path.join(dataDir, 'epc_payloads_raw', `${id}.txt`));

// The fields of each vector, written out by hand from the data set's notes and payloads so
// that the test does not derive its expectations from the code under test.
const fields: Record<string, EpcPayload> = {
  'epc069-12_example1_structured_rf': {
    serviceTag: 'BCD',
    version: '002',
    characterSet: 1,
    identification: 'SCT',
    bic: 'BHBLDEHHXXX',
    name: 'Franz Mustermänn',
    iban: 'DE71110220330123456789',
    amount: money(1230, 'EUR'),
    purpose: 'GDDS',
    structuredReference: 'RF18539007547034',
  },
  'epc069-12_example2_unstructured_latin1': {
    serviceTag: 'BCD',
    version: '002',
    characterSet: 2,
    identification: 'SCT',
    name: "François D'Alsace S.A.",
    iban: 'FR1420041010050500013M02606',
    amount: money(1230, 'EUR'),
    unstructuredRemittance: 'Client:Marie Louise La Lune',
  },
  smhg_valid_encode_message: {
    serviceTag: 'BCD',
    version: '002',
    characterSet: 1,
    identification: 'SCT',
    name: 'Test',
    iban: 'ABC',
    amount: money(107525, 'EUR'),
    unstructuredRemittance: 'DEF',
  },
  derhuerst_ex1_full: {
    serviceTag: 'BCD',
    version: '002',
    characterSet: 1,
    identification: 'SCT',
    bic: 'BPOTBEB1',
    name: 'Red Cross of Belgium',
    iban: 'BE72000000001616',
    amount: money(12345, 'EUR'),
    purpose: 'abc',
    structuredReference: '123',
    information: 'foo bar',
  },
  derhuerst_ex1_no_amount: {
    serviceTag: 'BCD',
    version: '002',
    characterSet: 1,
    identification: 'SCT',
    bic: 'BPOTBEB1',
    name: 'Red Cross of Belgium',
    iban: 'BE72000000001616',
    purpose: 'abc',
    structuredReference: '123',
    information: 'foo bar',
  },
  wikipedia_redcross_v001: {
    serviceTag: 'BCD',
    version: '001',
    characterSet: 1,
    identification: 'SCT',
    bic: 'BPOTBEB1',
    name: 'Red Cross of Belgium',
    iban: 'BE72000000001616',
    amount: money(100, 'EUR'),
    purpose: 'CHAR',
    unstructuredRemittance: 'Urgency fund',
    information: 'Sample EPC QR code',
  },
};

const toInput = (p: EpcPayload): EpcPayloadInput => {
  const { serviceTag: _s, identification: _i, version, ...rest } = p;
  return { ...rest, version: version as '001' | '002' };
};

describeShared('EPC069-12 QR payload vectors', () => {
  it('covers every vector of the data set', () => {
    expect(vectors.map((v) => v.id).sort()).toEqual(Object.keys(fields).sort());
  });

  describe.each(vectors)('$id', (vector) => {
    const expected = fields[vector.id] as EpcPayload;
    const bytes = raw(vector.id);

    it('matches the escaped payload, byte length and line count of the CSV, with LF separators', () => {
      expect(bytes.length).toBe(Number(vector.byte_length));
      expect(bytes.includes(0x0d)).toBe(false);
      expect(bytes.toString('latin1').split('\n')).toHaveLength(Number(vector.n_lines));
      const decoded = new TextDecoder(vector.byte_encoding === 'utf-8' ? 'utf-8' : 'latin1').decode(bytes);
      expect(decoded).toBe(vector.payload_escaped.replaceAll('\\n', '\n'));
    });

    it('is reproduced byte for byte from its fields', () => {
      expect(serializeEpcPayload(expected).equals(bytes)).toBe(true);
      if (vector.expected === 'valid') {
        expect(buildEpcPayload(toInput(expected)).equals(bytes)).toBe(true);
      }
    });

    it('parses back to its fields', () => {
      if (vector.expected === 'valid') expect(parseEpcPayload(bytes)).toEqual(expected);
      else expect(parseEpcPayload(bytes, { validate: false })).toEqual(expected);
    });

    if (vector.expected === 'format_only') {
      it('is refused as a real payment because its content is a placeholder', () => {
        expect(() => buildEpcPayload(toInput(expected))).toThrow(AppError);
        expect(() => parseEpcPayload(bytes)).toThrow(AppError);
      });
    }
  });

  it('writes CR LF separators on request and reads them back', () => {
    const expected = fields.wikipedia_redcross_v001 as EpcPayload;
    const crlf = buildEpcPayload(toInput(expected), { lineSeparator: '\r\n' });
    const lf = raw('wikipedia_redcross_v001');
    expect(crlf.length).toBe(lf.length + 11);
    expect(crlf.toString('latin1')).toBe(lf.toString('latin1').replaceAll('\n', '\r\n'));
    expect(parseEpcPayload(crlf)).toEqual(expected);
  });
});

interface InvalidRow {
  field: string;
  value: string;
  reason: string;
}
const invalidRows: InvalidRow[] = hasSharedData
  ? parse(readFileSync(path.join(dataDir, 'epc_qr_invalid_field_cases.csv')), { columns: true })
  : [];

const valid: EpcPayloadInput = {
  version: '002',
  bic: 'BHBLDEHHXXX',
  name: 'Franz Mustermänn',
  iban: 'DE71110220330123456789',
  amount: money(1230, 'EUR'),
  purpose: 'GDDS',
  structuredReference: 'RF18539007547034',
};
const validPayloadText = 'BCD\n002\n1\nSCT\nBHBLDEHHXXX\nFranz Mustermänn\nDE71110220330123456789\nEUR12.3';

/** "X*75" in the CSV means 75 times X. */
const expand = (value: string) =>
  value.replace(/^(.)\*(\d+)$/, (_m, c: string, n: string) => c.repeat(Number(n)));

/** Each refused case as the attempts that must all fail; field names are ours, in camelCase. */
function attempts(row: InvalidRow): { field: string; run: () => unknown }[] {
  const build = (patch: Partial<EpcPayloadInput>) => () => buildEpcPayload({ ...valid, ...patch });
  const withLine = (index: number, text: string) => () => {
    const lines = validPayloadText.split('\n');
    lines[index] = text;
    return parseEpcPayload(lines.join('\n'));
  };
  const value = expand(row.value);
  switch (row.field) {
    case 'amount':
      return [
        { field: 'amount', run: () => buildEpcPayload({ ...valid, amount: epcAmountFromDecimal(value) }) },
        { field: 'amount', run: withLine(7, `EUR${value}`) },
      ];
    case 'bic':
      if (value.startsWith('(missing)')) {
        return [{ field: 'bic', run: build({ version: '001', bic: undefined }) }];
      }
      return [
        { field: 'bic', run: build({ bic: value }) },
        { field: 'bic', run: withLine(4, value) },
      ];
    case 'encoding':
      return value
        .split(' / ')
        .map((name) => ({ field: 'characterSet', run: build({ characterSet: name }) }));
    case 'character_set':
      return [
        { field: 'characterSet', run: build({ characterSet: Number(value) }) },
        { field: 'characterSet', run: withLine(2, value) },
      ];
    case 'service_tag':
      return [{ field: 'serviceTag', run: withLine(0, value) }];
    case 'version':
      return [
        { field: 'version', run: withLine(1, value) },
        { field: 'version', run: withLine(1, value.padStart(3, '0')) },
        { field: 'version', run: build({ version: value.padStart(3, '0') as '002' }) },
      ];
    case 'identification':
      return [{ field: 'identification', run: withLine(3, value) }];
    case 'name':
      if (value === '(missing)') return [{ field: 'name', run: build({ name: '' }) }];
      return [
        { field: 'name', run: build({ name: value }) },
        { field: 'name', run: withLine(5, value) },
      ];
    case 'iban':
      if (value === '(missing)') return [{ field: 'iban', run: build({ iban: '' }) }];
      return [
        { field: 'iban', run: build({ iban: value }) },
        { field: 'iban', run: withLine(6, value) },
      ];
    case 'currency':
      return [
        { field: 'currency', run: build({ amount: money(1230, value) }) },
        { field: 'amount', run: withLine(7, `${value}12.3`) },
      ];
    case 'purpose':
      return [{ field: 'purpose', run: build({ purpose: value }) }];
    case 'structured_reference':
      return [{ field: 'structuredReference', run: build({ structuredReference: value }) }];
    case 'remittance':
      return [
        { field: 'remittance', run: build({ structuredReference: 'ABC', unstructuredRemittance: 'DEF' }) },
      ];
    case 'unstructured_remittance':
      return [
        {
          field: 'unstructuredRemittance',
          run: build({ structuredReference: undefined, unstructuredRemittance: value }),
        },
      ];
    case 'information':
      return [{ field: 'information', run: build({ information: value }) }];
    default:
      throw new Error(`no test mapping for invalid field ${row.field}`);
  }
}

describeShared('EPC069-12 invalid field cases', () => {
  it('builds the valid base payload the invalid cases start from', () => {
    expect(buildEpcPayload(valid).toString('utf8')).toBe(`${validPayloadText}\nGDDS\nRF18539007547034`);
    expect(parseEpcPayload(validPayloadText).name).toBe('Franz Mustermänn');
  });

  it.each(invalidRows.map((row) => [`${row.field} = ${row.value} (${row.reason})`, row] as const))(
    'refuses %s with an error naming the field',
    (_label, row) => {
      for (const attempt of attempts(row)) {
        let caught: unknown;
        try {
          attempt.run();
        } catch (error) {
          caught = error;
        }
        expect(caught, `${row.field} ${row.value}`).toBeInstanceOf(AppError);
        const fieldsNamed = (caught as AppError).details.map((d) => d.field);
        expect(fieldsNamed).toContain(attempt.field);
      }
    },
  );
});

describe('EPC069-12 other rules', () => {
  it('accepts the amount bounds 0.01 and 999999999.99', () => {
    expect(buildEpcPayload({ ...valid, amount: money(1, 'EUR') }).toString()).toContain('\nEUR0.01\n');
    expect(buildEpcPayload({ ...valid, amount: epcAmountFromDecimal('999999999.99') }).toString()).toContain(
      '\nEUR999999999.99\n',
    );
    expect(epcAmountFromDecimal('12.30')).toEqual(money(1230, 'EUR'));
    expect(epcAmountFromDecimal('12.300')).toEqual(money(1230, 'EUR'));
  });

  it.each([
    [1, 'EUR0.01'],
    [5, 'EUR0.05'],
    [50, 'EUR0.5'],
    [100, 'EUR1'],
    [1230, 'EUR12.3'],
    [1205, 'EUR12.05'],
    [107525, 'EUR1075.25'],
    [99_999_999_999, 'EUR999999999.99'],
  ])('writes %i cents as %s, the shortest form', (cents, text) => {
    expect(formatEpcAmount(money(cents, 'EUR'))).toBe(text);
  });

  it('reads a payload whose last element is followed by a stray separator', () => {
    expect(parseEpcPayload(`${validPayloadText}\nGDDS\nRF18539007547034\r\n`).structuredReference).toBe(
      'RF18539007547034',
    );
  });

  it('omits the amount line content when no amount is given so the debtor types it', () => {
    const { amount: _a, ...noAmount } = valid;
    expect(buildEpcPayload(noAmount).toString('utf8').split('\n')[7]).toBe('');
  });

  it('refuses an RF reference with a wrong check digit but accepts other structured references', () => {
    expect(() => buildEpcPayload({ ...valid, structuredReference: 'RF19539007547034' })).toThrow(AppError);
    expect(buildEpcPayload({ ...valid, structuredReference: '4654654654654654' }).toString()).toContain(
      '4654654654654654',
    );
  });

  it('normalises a printed IBAN, BIC and reference to their electronic forms', () => {
    const bytes = buildEpcPayload({
      ...valid,
      iban: 'DE71 1102 2033 0123 4567 89',
      bic: ' bhbldehhxxx',
      structuredReference: 'RF18 5390 0754 7034',
    });
    expect(parseEpcPayload(bytes)).toMatchObject({
      iban: 'DE71110220330123456789',
      bic: 'BHBLDEHHXXX',
      structuredReference: 'RF18539007547034',
    });
  });

  it('refuses a payload over 331 bytes and characters the character set cannot carry', () => {
    const long = {
      ...valid,
      structuredReference: undefined,
      name: 'é'.repeat(70),
      unstructuredRemittance: 'é'.repeat(120),
      information: 'é'.repeat(70),
    };
    try {
      buildEpcPayload(long);
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).details[0]?.field).toBe('payload');
    }
    // The same text in ISO-8859-1 is one byte per character (325 bytes) and fits.
    expect(buildEpcPayload({ ...long, characterSet: 2 }).length).toBeLessThanOrEqual(EPC_MAX_PAYLOAD_BYTES);
    expect(() => buildEpcPayload({ ...valid, name: 'Łódź Sp. z o.o.', characterSet: 2 })).toThrow(
      /character set/,
    );
    expect(
      parseEpcPayload(buildEpcPayload({ ...valid, name: 'Łódź Sp. z o.o.', characterSet: 3 })).name,
    ).toBe('Łódź Sp. z o.o.');
  });

  it('refuses line breaks inside a field, which would shift every following element', () => {
    expect(() => buildEpcPayload({ ...valid, name: 'Evil\nDE89370400440532013000' })).toThrow(AppError);
  });

  it('refuses a payload with too few or too many lines', () => {
    expect(() => parseEpcPayload('BCD\n002\n1\nSCT')).toThrow(AppError);
    expect(() => parseEpcPayload(`${validPayloadText}\n\n\n\n\nextra`)).toThrow(AppError);
  });
});
