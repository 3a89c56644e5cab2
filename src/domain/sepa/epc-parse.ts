import iconv from 'iconv-lite';
import { parseEpcAmount } from './epc-amount.js';
import { describeProblems, epcPayloadProblems, failEpc } from './epc-rules.js';
import {
  EPC_CHARACTER_SETS,
  EPC_MAX_PAYLOAD_BYTES,
  type EpcCharacterSet,
  type EpcPayload,
} from './epc-types.js';

export interface EpcParseOptions {
  /** false reads the layout only (for test vectors whose content is not a real payment). */
  validate?: boolean;
}

/** Read a scanned payload back into its fields (CR LF or LF separators). */
export function parseEpcPayload(data: Uint8Array | string, options: EpcParseOptions = {}): EpcPayload {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (bytes.length > EPC_MAX_PAYLOAD_BYTES) {
    failEpc(`EPC QR payload is ${bytes.length} bytes, more than ${EPC_MAX_PAYLOAD_BYTES}`, [
      { field: 'payload', value: String(bytes.length), reason: `at most ${EPC_MAX_PAYLOAD_BYTES} bytes` },
    ]);
  }
  // The header lines are ASCII in every allowed character set, so the set can be read first.
  const header = bytes.toString('latin1').split(/\r?\n/);
  const characterSet = Number(header[2] ?? '');
  const charset = EPC_CHARACTER_SETS[characterSet as EpcCharacterSet];
  if (!charset) {
    failEpc(`Character set "${header[2] ?? ''}" is not one EPC069-12 allows`, [
      { field: 'characterSet', value: header[2] ?? '', reason: 'must be 1 to 8' },
    ]);
  }
  const text = typeof data === 'string' ? data : iconv.decode(bytes, charset);
  // Some generators end the last element with a separator; EPC069-12 says not to, but it is harmless.
  const parts = text.replace(/\r?\n$/, '').split(/\r?\n/);
  if (parts.length < 7 || parts.length > 12) {
    failEpc(`EPC QR payload has ${parts.length} lines, expected 7 to 12`, [
      { field: 'payload', value: String(parts.length), reason: 'must have 7 to 12 lines' },
    ]);
  }
  const at = (i: number) => parts[i] ?? '';
  const payload: EpcPayload = {
    serviceTag: at(0),
    version: at(1),
    characterSet,
    identification: at(3),
    name: at(5),
    iban: at(6),
  };
  if (at(4)) payload.bic = at(4);
  if (at(7)) payload.amount = parseEpcAmount(at(7));
  if (at(8)) payload.purpose = at(8);
  if (at(9)) payload.structuredReference = at(9);
  if (at(10)) payload.unstructuredRemittance = at(10);
  if (at(11)) payload.information = at(11);
  if (options.validate !== false) {
    const problems = epcPayloadProblems(payload);
    if (problems.length > 0) failEpc(`EPC QR payload refused: ${describeProblems(problems)}`, problems);
  }
  return payload;
}
