import QRCode from 'qrcode';
import { EPC_MAX_PAYLOAD_BYTES } from '../../domain/sepa/index.js';
import { AppError } from '../../errors.js';

/**
 * EPC069-12 (QR code data): byte mode, error correction level M, at most QR version 13 — whose
 * capacity at level M is exactly the 331 bytes the payload may hold. The quiet zone of four
 * modules is the QR standard's (ISO/IEC 18004); banking apps struggle with less.
 */
const EPC_QR_OPTIONS = { errorCorrectionLevel: 'M' } as const;
export const EPC_QR_MAX_VERSION = 13;

export interface EpcQrImageOptions {
  /** Pixels per module (PNG) or width in pixels (SVG); default 6 px per module. */
  scale?: number;
  /** Quiet zone in modules; default 4. */
  margin?: number;
}

function segments(payload: Uint8Array) {
  if (payload.length === 0 || payload.length > EPC_MAX_PAYLOAD_BYTES) {
    throw new AppError('VALIDATION', `An EPC QR payload holds 1 to ${EPC_MAX_PAYLOAD_BYTES} bytes`, [
      {
        field: 'payload',
        value: String(payload.length),
        reason: `must be 1 to ${EPC_MAX_PAYLOAD_BYTES} bytes`,
      },
    ]);
  }
  // Byte mode carries the payload's own character set (UTF-8 or ISO-8859-x) untouched;
  // letting the library pick a mode from a JS string would re-encode it.
  return [{ data: Uint8ClampedArray.from(payload), mode: 'byte' as const }];
}

/** The symbol itself (modules, version, level), for checks and custom rendering. */
export function epcQrSymbol(payload: Uint8Array): QRCode.QRCode {
  const symbol = QRCode.create(segments(payload), EPC_QR_OPTIONS);
  if (symbol.version > EPC_QR_MAX_VERSION) {
    throw new AppError('VALIDATION', `The EPC QR code would need version ${symbol.version}, above 13`, [
      { field: 'payload', value: String(payload.length), reason: 'too long for a version 13 symbol' },
    ]);
  }
  return symbol;
}

export async function epcQrSvg(payload: Uint8Array, options: EpcQrImageOptions = {}): Promise<string> {
  epcQrSymbol(payload);
  return QRCode.toString(segments(payload), {
    ...EPC_QR_OPTIONS,
    type: 'svg',
    margin: options.margin ?? 4,
    ...(options.scale ? { width: options.scale } : {}),
  });
}

export async function epcQrPng(payload: Uint8Array, options: EpcQrImageOptions = {}): Promise<Buffer> {
  epcQrSymbol(payload);
  return QRCode.toBuffer(segments(payload), {
    ...EPC_QR_OPTIONS,
    type: 'png',
    margin: options.margin ?? 4,
    scale: options.scale ?? 6,
  });
}
