import { describe, expect, it } from 'vitest';
import { checkSenderId, isFrenchMobile, normalisePhone } from '../../../src/channels/sms/addressing.js';
import { countSegments, detectEncoding, isGsm7, toGsm7 } from '../../../src/channels/sms/encoding.js';
import { isOptedOut, parseOptKeyword, stopMention } from '../../../src/channels/sms/opt-out.js';
import { twilioSignature } from '../../../src/channels/sms/twilio.js';

describe('GSM-7 / UCS-2 detection', () => {
  it('keeps French letters of the GSM basic table in GSM-7', () => {
    expect(isGsm7('Facture échue à régler: déjà où ù è é Ç')).toBe(true);
  });

  it('treats the euro sign and brackets as GSM-7 extension characters', () => {
    expect(detectEncoding('Total: 12 € [F-1] {x} ~ ^ | \\')).toBe('GSM-7');
  });

  it('falls back to UCS-2 for ç, ê, œ, typographic apostrophes and emoji', () => {
    for (const s of ['reçu', 'fenêtre', 'cœur', 'l’échéance', 'merci 🙏'])
      expect(detectEncoding(s)).toBe('UCS-2');
  });
});

describe('segment counting', () => {
  it('fits 160 GSM-7 characters in one segment and splits 161 into two', () => {
    expect(countSegments('a'.repeat(160))).toMatchObject({
      encoding: 'GSM-7',
      units: 160,
      segments: 1,
      remaining: 0,
    });
    expect(countSegments('a'.repeat(161))).toMatchObject({ segments: 2, units: 161 });
  });

  it('uses 153 septets per part once split', () => {
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts each extension character as two septets', () => {
    expect(countSegments('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(countSegments(`${'€'.repeat(80)}a`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('never splits an escape pair across two parts', () => {
    // 152 plain septets then a euro: the pair cannot start at septet 153 of part one.
    const s = `${'a'.repeat(152)}€${'a'.repeat(10)}`;
    const info = countSegments(s);
    expect(info.units).toBe(164);
    expect(info.segments).toBe(2);
    expect(info.remaining).toBe(153 - 12);
  });

  it('fits 70 UCS-2 units in one segment and uses 67 per part after', () => {
    expect(countSegments('ç'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(countSegments('ç'.repeat(71)).segments).toBe(2);
    expect(countSegments('ç'.repeat(134)).segments).toBe(2);
    expect(countSegments('ç'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UCS-2 units and keeps the pair in one part', () => {
    expect(countSegments('🙏').units).toBe(2);
    const s = `${'ç'.repeat(66)}🙏`; // 68 units: over 70? no, one segment
    expect(countSegments(s).segments).toBe(1);
    const t = `${'ç'.repeat(66)}🙏${'ç'.repeat(3)}`; // 71 units: the pair moves to part two
    expect(countSegments(t)).toMatchObject({ units: 71, segments: 2, remaining: 67 - 5 });
  });

  it('saves segments by rewriting French characters outside GSM-7', () => {
    const text = 'Bonjour, votre reçu n’est pas arrivé. Merci de régler l’échéance à réception — cœur.';
    expect(countSegments(text).encoding).toBe('UCS-2');
    const rewritten = toGsm7(text);
    expect(rewritten).toBe(
      "Bonjour, votre recu n'est pas arrivé. Merci de régler l'échéance à réception - coeur.",
    );
    expect(countSegments(rewritten)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });
});

describe('sender ids and phone numbers', () => {
  it('accepts up to 11 letters, digits and spaces with at least one letter', () => {
    expect(checkSenderId('CremesSA')).toEqual({ ok: true, kind: 'alphanumeric' });
    expect(checkSenderId('Cremes 2024')).toEqual({ ok: true, kind: 'alphanumeric' });
    expect(checkSenderId('+33612345678')).toEqual({ ok: true, kind: 'numeric' });
  });

  it('refuses sender ids that are too long, accented, symbolic or all digits', () => {
    for (const bad of ['CremesGlacees', 'Crèmes', 'Cremes&Co', '', ' Cremes', '12 345']) {
      expect(checkSenderId(bad).ok, bad).toBe(false);
    }
  });

  it('normalises French numbers to E.164', () => {
    expect(normalisePhone('06 12 34 56 78')).toBe('+33612345678');
    expect(normalisePhone('0033 6 12 34 56 78')).toBe('+33612345678');
    expect(normalisePhone('+33 (0)6 12 34 56 78')).toBe('+33612345678');
    expect(normalisePhone('+44 7700 900123')).toBe('+447700900123');
    expect(normalisePhone('12 34')).toBeNull();
    expect(normalisePhone('7700 900123')).toBeNull();
  });

  it('recognises French mobile ranges', () => {
    expect(isFrenchMobile('+33712345678')).toBe(true);
    expect(isFrenchMobile('+33112345678')).toBe(false);
  });
});

describe('STOP handling for inbound SMS', () => {
  it('reads opt-out keywords in French and English, with case, accents and a short code', () => {
    for (const t of ['STOP', 'stop', ' Stop.', 'STOP 36180', 'Arrêt', 'ARRET', 'unsubscribe']) {
      expect(parseOptKeyword(t), t).toBe('stop');
    }
    expect(parseOptKeyword('START')).toBe('start');
    expect(parseOptKeyword('oui')).toBe('start');
  });

  it('does not treat a sentence that mentions stop later as an opt-out', () => {
    expect(parseOptKeyword('je paierai vendredi, stop aux relances svp')).toBeNull();
    expect(parseOptKeyword('Stopper? non')).toBeNull();
    expect(parseOptKeyword('')).toBeNull();
  });

  it('follows the latest keyword of the number', () => {
    const p = '+33612345678';
    const events = [
      { phone: p, keyword: 'stop' as const, at: new Date('2026-01-01T10:00:00Z') },
      { phone: '+33700000000', keyword: 'start' as const, at: new Date('2026-03-01T10:00:00Z') },
    ];
    expect(isOptedOut(p, events)).toBe(true);
    expect(
      isOptedOut(p, [...events, { phone: p, keyword: 'start', at: new Date('2026-02-01T10:00:00Z') }]),
    ).toBe(false);
    expect(isOptedOut('+33799999999', events)).toBe(false);
    expect(stopMention('36180')).toBe('STOP au 36180');
  });
});

describe('Twilio request signature', () => {
  it("reproduces the example of Twilio's security documentation", () => {
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675309',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
    };
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe(
      'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    );
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=3', params)).not.toBe(
      'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    );
  });
});
