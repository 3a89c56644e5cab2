import { describe, expect, it } from 'vitest';
import { inspectLogo, LOGO_MAX_BYTES } from '../../../src/domain/branding/logo-image.js';
import { makeJpegHeader, makePng, SVG_LOGO } from '../../helpers/images.js';

describe('logo images are judged by their bytes', () => {
  it('reads the dimensions of a PNG by decoding its pixel data', () => {
    expect(inspectLogo(makePng(120, 40))).toEqual({
      ok: true,
      mediaType: 'image/png',
      width: 120,
      height: 40,
    });
    expect(inspectLogo(makePng(1, 1))).toMatchObject({ ok: true, width: 1, height: 1 });
  });

  it('reads the dimensions of a JPEG from its frame header', () => {
    expect(inspectLogo(makeJpegHeader(300, 90))).toEqual({
      ok: true,
      mediaType: 'image/jpeg',
      width: 300,
      height: 90,
    });
  });

  it('refuses an SVG, a GIF, text and an empty file, whatever they are called', () => {
    expect(inspectLogo(SVG_LOGO)).toEqual({ ok: false, reason: expect.stringContaining('SVG') });
    expect(inspectLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toMatchObject({
      ok: false,
    });
    expect(inspectLogo(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))).toEqual({
      ok: false,
      reason: 'not a PNG or JPEG image',
    });
    expect(inspectLogo(Buffer.from('hello, I am logo.png'))).toMatchObject({ ok: false });
    expect(inspectLogo(Buffer.alloc(0))).toEqual({ ok: false, reason: 'the file is empty' });
  });

  it('refuses a PNG whose header lies about its size or whose data is cut', () => {
    const png = makePng(20, 20);
    const lying = Buffer.from(png);
    lying.writeUInt32BE(21, 16); // width 21: the rows no longer add up
    // The header's CRC is not what is checked: the decoded rows are.
    expect(inspectLogo(lying)).toEqual({ ok: false, reason: expect.stringContaining('does not match') });
    expect(inspectLogo(png.subarray(0, png.length - 20))).toMatchObject({ ok: false });
    const zeroHeight = Buffer.from(png);
    zeroHeight.writeUInt32BE(0, 20);
    expect(inspectLogo(zeroHeight)).toEqual({ ok: false, reason: expect.stringContaining('zero') });
  });

  it('refuses a JPEG with no frame header or cut short', () => {
    const jpeg = makeJpegHeader(10, 10);
    expect(inspectLogo(jpeg.subarray(0, jpeg.length - 2))).toMatchObject({ ok: false });
    expect(inspectLogo(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9]))).toMatchObject({
      ok: false,
    });
  });

  it('refuses more than 512 kB and more than 4096 pixels a side', () => {
    const big = Buffer.concat([makePng(2, 2), Buffer.alloc(LOGO_MAX_BYTES)]);
    expect(inspectLogo(big)).toEqual({ ok: false, reason: expect.stringContaining('512 kB') });
    expect(inspectLogo(makeJpegHeader(5000, 10))).toEqual({
      ok: false,
      reason: expect.stringContaining('4096'),
    });
  });
});
