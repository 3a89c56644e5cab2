import iconv from 'iconv-lite';
import { normalizeBic } from './bic.js';
import { normalizeCreditorReference } from './creditor-reference.js';
import { formatEpcAmount } from './epc-amount.js';
import { describeProblems, epcPayloadProblems, failEpc } from './epc-rules.js';
import {
  EPC_CHARACTER_SETS,
  EPC_MAX_PAYLOAD_BYTES,
  type EpcCharacterSet,
  type EpcPayload,
  type EpcPayloadInput,
  type EpcSerializeOptions,
} from './epc-types.js';
import { normalizeIban } from './iban.js';

function resolveCharacterSet(value: number | string | undefined): number | null {
  if (value === undefined) return 1;
  if (typeof value === 'number') return value in EPC_CHARACTER_SETS ? value : null;
  const trimmed = value.trim();
  if (/^[1-8]$/.test(trimmed)) return Number(trimmed);
  const name = trimmed
    .toUpperCase()
    .replace(/^ISO8859/, 'ISO-8859')
    .replace(/^UTF8$/, 'UTF-8');
  for (const [code, charset] of Object.entries(EPC_CHARACTER_SETS)) {
    if (charset === name || charset.replace('ISO-', 'ISO_') === name) return Number(code);
  }
  return null;
}

function lines(payload: EpcPayload): string[] {
  const out = [
    payload.serviceTag,
    payload.version,
    String(payload.characterSet),
    payload.identification,
    payload.bic ?? '',
    payload.name,
    payload.iban,
    payload.amount ? formatEpcAmount(payload.amount) : '',
    payload.purpose ?? '',
    payload.structuredReference ?? '',
    payload.unstructuredRemittance ?? '',
    payload.information ?? '',
  ];
  // EPC069-12: the last populated element is not followed by a separator.
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

function encode(text: string, characterSet: number): Buffer {
  const charset = EPC_CHARACTER_SETS[characterSet as EpcCharacterSet] ?? 'UTF-8';
  return iconv.encode(text, charset);
}

/**
 * Lay out the payload without judging its content: the same bytes any EPC encoder writes
 * for these fields. Use `buildEpcPayload` for anything a debtor will scan.
 */
export function serializeEpcPayload(payload: EpcPayload, options: EpcSerializeOptions = {}): Buffer {
  return encode(lines(payload).join(options.lineSeparator ?? '\n'), payload.characterSet);
}

/** Validated payload bytes, ready for a QR code (byte mode, error correction level M). */
export function buildEpcPayload(input: EpcPayloadInput, options: EpcSerializeOptions = {}): Buffer {
  const characterSet = resolveCharacterSet(input.characterSet);
  if (characterSet === null) {
    failEpc(`Character set "${input.characterSet}" is not one EPC069-12 allows`, [
      {
        field: 'characterSet',
        value: String(input.characterSet),
        reason: 'must be 1 to 8 (UTF-8, ISO-8859-x)',
      },
    ]);
  }
  const payload = cleanPayload({
    serviceTag: 'BCD',
    version: input.version ?? '002',
    characterSet,
    identification: 'SCT',
    bic: input.bic,
    name: input.name,
    iban: input.iban,
    amount: input.amount,
    purpose: input.purpose,
    structuredReference: input.structuredReference,
    unstructuredRemittance: input.unstructuredRemittance,
    information: input.information,
  });
  const problems = epcPayloadProblems(payload);
  if (problems.length > 0) failEpc(`EPC QR payload refused: ${describeProblems(problems)}`, problems);
  const bytes = serializeEpcPayload(payload, options);
  const roundTrip = iconv.decode(bytes, EPC_CHARACTER_SETS[characterSet as EpcCharacterSet]);
  if (roundTrip !== lines(payload).join(options.lineSeparator ?? '\n')) {
    failEpc('Some characters cannot be written in the chosen character set', [
      { field: 'characterSet', value: String(characterSet), reason: 'cannot represent every character' },
    ]);
  }
  if (bytes.length > EPC_MAX_PAYLOAD_BYTES) {
    failEpc(`EPC QR payload is ${bytes.length} bytes, more than ${EPC_MAX_PAYLOAD_BYTES}`, [
      { field: 'payload', value: String(bytes.length), reason: `at most ${EPC_MAX_PAYLOAD_BYTES} bytes` },
    ]);
  }
  return bytes;
}

/** Trim, normalise IBAN/BIC/reference to their electronic forms, drop empty optionals. */
function cleanPayload(
  raw: Omit<EpcPayload, 'bic' | 'purpose'> & { bic?: string; purpose?: string },
): EpcPayload {
  const opt = (v: string | undefined) => {
    const t = v?.trim();
    return t ? t : undefined;
  };
  const payload: EpcPayload = {
    serviceTag: raw.serviceTag,
    version: raw.version,
    characterSet: raw.characterSet,
    identification: raw.identification,
    name: raw.name.trim(),
    iban: normalizeIban(raw.iban),
  };
  const bic = opt(raw.bic);
  if (bic) payload.bic = normalizeBic(bic);
  if (raw.amount) payload.amount = raw.amount;
  const purpose = opt(raw.purpose);
  if (purpose) payload.purpose = purpose;
  const ref = opt(raw.structuredReference);
  if (ref) payload.structuredReference = /^RF/i.test(ref) ? normalizeCreditorReference(ref) : ref;
  const text = opt(raw.unstructuredRemittance);
  if (text) payload.unstructuredRemittance = text;
  const info = opt(raw.information);
  if (info) payload.information = info;
  return payload;
}
