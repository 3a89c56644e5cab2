import { describe, expect, it } from 'vitest';
import { epcQrPng, epcQrSvg, epcQrSymbol } from '../../../src/channels/portal/qr.js';
import { money } from '../../../src/domain/money/index.js';
import { buildEpcPayload } from '../../../src/domain/sepa/index.js';
import { AppError } from '../../../src/errors.js';

const payload = buildEpcPayload({
  bic: 'BPOTBEB1',
  name: 'Red Cross of Belgium',
  iban: 'BE72000000001616',
  amount: money(100, 'EUR'),
  purpose: 'CHAR',
  unstructuredRemittance: 'Urgency fund',
  information: 'Sample EPC QR code',
});

describe('EPC QR code image', () => {
  it('encodes the payload bytes untouched in byte mode at error correction level M', () => {
    const symbol = epcQrSymbol(payload);
    // qrcode's level bits follow ISO/IEC 18004: L=1, M=0, Q=3, H=2.
    expect(symbol.errorCorrectionLevel.bit).toBe(0);
    expect(symbol.segments).toHaveLength(1);
    const segment = symbol.segments[0] as unknown as { mode: { id: string }; data: Uint8Array };
    expect(segment.mode.id).toBe('Byte');
    expect(Buffer.from(segment.data).equals(payload)).toBe(true);
    // 103 bytes in byte mode at level M need version 6 (capacity 106 bytes).
    expect(symbol.version).toBe(6);
  });

  it('keeps ISO-8859-1 payloads as single bytes rather than re-encoding them as UTF-8', () => {
    const latin1 = buildEpcPayload({
      characterSet: 2,
      name: "François D'Alsace S.A.",
      iban: 'FR1420041010050500013M02606',
      amount: money(1230, 'EUR'),
      unstructuredRemittance: 'Client:Marie Louise La Lune',
    });
    const segment = epcQrSymbol(latin1).segments[0] as unknown as { data: Uint8Array };
    expect(Buffer.from(segment.data).equals(latin1)).toBe(true);
    expect(segment.data).toHaveLength(103);
  });

  it('fits the largest payload, 331 bytes, in version 13 and refuses more', () => {
    expect(epcQrSymbol(Buffer.alloc(331, 0x41)).version).toBe(13);
    expect(() => epcQrSymbol(Buffer.alloc(332, 0x41))).toThrow(AppError);
    expect(() => epcQrSymbol(Buffer.alloc(0))).toThrow(AppError);
  });

  it('renders a PNG with a four-module quiet zone at the requested scale', async () => {
    const png = await epcQrPng(payload, { scale: 5 });
    const modules = epcQrSymbol(payload).modules.size;
    expect(modules).toBe(41);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      true,
    );
    // IHDR is the first chunk: width and height are its first two 32-bit fields.
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe((modules + 8) * 5);
    expect(png.readUInt32BE(20)).toBe((modules + 8) * 5);
  });

  it('renders an SVG', async () => {
    const svg = await epcQrSvg(payload);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('viewBox="0 0 49 49"');
  });
});
