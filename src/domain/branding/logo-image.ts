import { inflateSync } from 'node:zlib';

/**
 * What a logo upload really is, read from its bytes: the file name and the declared type
 * say nothing (a renamed SVG or GIF is refused here). PNG is decoded as far as its pixel
 * data (the inflated rows must be exactly what the header's dimensions announce); JPEG is
 * walked segment by segment to its frame header. Pure: bytes in, verdict out.
 */
export const LOGO_MAX_BYTES = 512 * 1024;
/** Larger than any letterhead needs, small enough that decoding stays cheap. */
export const LOGO_MAX_SIDE = 4096;

export type LogoMediaType = 'image/png' | 'image/jpeg';

export type LogoVerdict =
  | { ok: true; mediaType: LogoMediaType; width: number; height: number }
  | { ok: false; reason: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function inspectLogo(bytes: Uint8Array): LogoVerdict {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length === 0) return { ok: false, reason: 'the file is empty' };
  if (b.length > LOGO_MAX_BYTES)
    return { ok: false, reason: `the file is larger than ${LOGO_MAX_BYTES / 1024} kB` };
  let verdict: LogoVerdict;
  if (b.subarray(0, 8).equals(PNG_SIGNATURE)) verdict = inspectPng(b);
  else if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) verdict = inspectJpeg(b);
  else if (/^\s*(<\?xml|<svg|<!DOCTYPE svg)/i.test(b.subarray(0, 256).toString('latin1')))
    return { ok: false, reason: 'SVG is not accepted: upload a PNG or JPEG image' };
  else return { ok: false, reason: 'not a PNG or JPEG image' };
  if (verdict.ok && (verdict.width > LOGO_MAX_SIDE || verdict.height > LOGO_MAX_SIDE))
    return { ok: false, reason: `the image is larger than ${LOGO_MAX_SIDE} × ${LOGO_MAX_SIDE} pixels` };
  return verdict;
}

/** Samples per pixel by PNG colour type (PNG spec 11.2.2), with the bit depths each allows. */
const PNG_COLOUR: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

function inspectPng(b: Buffer): LogoVerdict {
  const bad = (why: string): LogoVerdict => ({ ok: false, reason: `not a valid PNG image: ${why}` });
  if (b.length < 33 || b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR')
    return bad('no header');
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  const depth = b[24] ?? 0;
  const colour = PNG_COLOUR[b[25] ?? -1];
  const interlaced = b[28] === 1;
  if (width === 0 || height === 0) return bad('zero width or height');
  if (!colour?.depths.includes(depth)) return bad('unknown colour type or bit depth');
  if (width > LOGO_MAX_SIDE || height > LOGO_MAX_SIDE)
    return { ok: false, reason: `the image is larger than ${LOGO_MAX_SIDE} × ${LOGO_MAX_SIDE} pixels` };
  const idat: Buffer[] = [];
  let at = 8;
  let ended = false;
  while (at + 12 <= b.length) {
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > b.length) return bad(`chunk ${type} runs past the end of the file`);
    if (type === 'IDAT') idat.push(b.subarray(at + 8, at + 8 + length));
    at += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended) return bad('no end chunk');
  if (idat.length === 0) return bad('no pixel data');
  const rowBytes = Math.ceil((width * colour.channels * depth) / 8);
  // Interlaced images store seven passes with their own filter bytes: at most this much.
  const expected = interlaced ? (rowBytes + 1) * height + 7 * (height + 7) * 2 : (rowBytes + 1) * height;
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch {
    return bad('the pixel data does not decode');
  }
  if (interlaced ? pixels.length > expected : pixels.length !== expected)
    return bad('the pixel data does not match the dimensions');
  return { ok: true, mediaType: 'image/png', width, height };
}

/** Start-of-frame markers (ITU T.81 B.1.1.3): C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function inspectJpeg(b: Buffer): LogoVerdict {
  const bad = (why: string): LogoVerdict => ({ ok: false, reason: `not a valid JPEG image: ${why}` });
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return bad('broken segment structure');
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return bad('no frame header before the image data');
    const length = b.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > b.length) return bad('a segment runs past the end of the file');
    if (isFrameMarker(marker)) {
      if (length < 8) return bad('short frame header');
      const height = b.readUInt16BE(at + 5);
      const width = b.readUInt16BE(at + 7);
      const components = b[at + 9] ?? 0;
      if (width === 0 || height === 0) return bad('zero width or height');
      if (![1, 3, 4].includes(components)) return bad('unsupported number of colour components');
      const rest = b.subarray(at + 2 + length);
      if (rest.indexOf(Buffer.from([0xff, 0xda])) < 0) return bad('no image data');
      if (!b.subarray(-2).equals(Buffer.from([0xff, 0xd9]))) return bad('the file is cut short');
      return { ok: true, mediaType: 'image/jpeg', width, height };
    }
    at += 2 + length;
  }
  return bad('no frame header');
}
