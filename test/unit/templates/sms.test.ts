import { describe, expect, it } from 'vitest';
import { smsEncoding, smsInfo, toSmsFriendly, truncateSms } from '../../../src/domain/templates/sms.js';

describe('SMS encoding and segments', () => {
  it('keeps French accents of the GSM-7 alphabet in GSM-7', () => {
    expect(smsEncoding('Relance : facture échue, à régler. Où ? Ça !')).toBe('GSM-7');
  });

  it('switches to UCS-2 for a character outside GSM-7 (ç, ê, emoji)', () => {
    expect(smsEncoding('reçu')).toBe('UCS-2');
    expect(smsEncoding('fenêtre')).toBe('UCS-2');
    expect(smsEncoding('merci 🙂')).toBe('UCS-2');
  });

  it('fits 160 GSM-7 characters in one segment and 161 in two', () => {
    expect(smsInfo('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsInfo('a'.repeat(161)).segments).toBe(2);
  });

  it('uses 153 septets per segment once concatenated', () => {
    expect(smsInfo('a'.repeat(306)).segments).toBe(2);
    expect(smsInfo('a'.repeat(307)).segments).toBe(3);
  });

  it('counts the euro sign and other extension characters as two septets', () => {
    expect(smsInfo('€').units).toBe(2);
    expect(smsInfo(`${'a'.repeat(158)}€`).segments).toBe(1);
    expect(smsInfo(`${'a'.repeat(159)}€`).segments).toBe(2);
  });

  it('never splits an escape pair across segments', () => {
    // 306 septets would fit two segments, but the euro sign cannot straddle the boundary.
    expect(smsInfo(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
  });

  it('fits 70 UCS-2 units in one segment, 71 in two, 67 per segment after', () => {
    expect(smsInfo('ç'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(smsInfo('ç'.repeat(71)).segments).toBe(2);
    expect(smsInfo('ç'.repeat(134)).segments).toBe(2);
    expect(smsInfo('ç'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UTF-16 units and never splits it', () => {
    expect(smsInfo('🙂').units).toBe(2);
    expect(smsInfo(`${'ç'.repeat(66)}🙂`).segments).toBe(1);
    expect(smsInfo(`${'ç'.repeat(66)}🙂${'ç'.repeat(66)}`).segments).toBe(3);
  });

  it('turns French typographic spaces and quotes into GSM-7 equivalents', () => {
    const s = toSmsFriendly('1\u202f234,56\u00a0€ – l’échéance « demain »');
    expect(s).toBe('1 234,56 € - l\'échéance " demain "');
    expect(smsEncoding(s)).toBe('GSM-7');
  });

  it('truncates a long SMS to the allowed segments with an ellipsis, at a word boundary', () => {
    const long = 'Votre facture reste impayée '.repeat(20);
    const t = truncateSms(long, 1);
    expect(t.truncated).toBe(true);
    expect(t.segments).toBe(1);
    expect(t.units).toBeLessThanOrEqual(160);
    expect(t.text.endsWith('...')).toBe(true);
    expect(long.startsWith(t.text.slice(0, -3))).toBe(true);
    expect(t.text.slice(0, -3).endsWith(' ')).toBe(false);
  });

  it('truncates a UCS-2 SMS without breaking a surrogate pair', () => {
    const t = truncateSms('🙂'.repeat(100), 1);
    expect(t.encoding).toBe('UCS-2');
    expect(t.segments).toBe(1);
    expect(t.text).toBe(`${'🙂'.repeat(34)}…`);
  });

  it('leaves a short SMS untouched', () => {
    expect(truncateSms('Merci', 1)).toMatchObject({ text: 'Merci', truncated: false, segments: 1 });
  });
});
