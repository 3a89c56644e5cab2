import { describe, expect, it } from 'vitest';
import {
  clickUrl,
  instrumentHtml,
  linkSignature,
  trackingToken,
  verifyLinkSignature,
  verifyTrackingToken,
} from '../../../src/channels/email/tracking.js';

const t = { baseUrl: 'https://relance.example/', secret: 'tracking-secret-0123456789' };
const ref = { orgId: '0b8f6d2e-1c1a-4f55-9a7e-3b1d2c4e5f60', deliveryKey: 'abc123:email' };

describe('email tracking tokens and HTML instrumentation', () => {
  it('round-trips a token and refuses one signed with another secret or altered', () => {
    const token = trackingToken(t.secret, ref);
    expect(verifyTrackingToken(t.secret, token)).toEqual(ref);
    expect(verifyTrackingToken('another-secret-0123456789', token)).toBeNull();
    const [payload, sig] = token.split('.');
    const other = Buffer.from(`${ref.orgId}|other:email`).toString('base64url');
    expect(verifyTrackingToken(t.secret, `${other}.${sig}`)).toBeNull();
    expect(verifyTrackingToken(t.secret, `${payload}.`)).toBeNull();
    expect(verifyTrackingToken(t.secret, `${token}.x`)).toBeNull();
  });

  it('signs link targets so the redirect cannot be pointed elsewhere', () => {
    const token = trackingToken(t.secret, ref);
    const sig = linkSignature(t.secret, token, 'https://pay.example/p/1');
    expect(verifyLinkSignature(t.secret, token, 'https://pay.example/p/1', sig)).toBe(true);
    expect(verifyLinkSignature(t.secret, token, 'https://evil.example/', sig)).toBe(false);
  });

  it('wraps http(s) links, leaves mailto and anchors alone, and adds the pixel before </body>', () => {
    const html =
      '<html><body><p><a href="https://pay.example/p?a=1&amp;b=2">Payer</a> <a href="mailto:x@y.example">écrire</a> <a href=\'#top\'>haut</a></p></body></html>';
    const out = instrumentHtml(html, t, ref);
    const token = trackingToken(t.secret, ref);
    const wrapped = clickUrl(t, token, 'https://pay.example/p?a=1&b=2').replace(/&/g, '&amp;');
    expect(out).toContain(`href="${wrapped}"`);
    expect(out).toContain('href="mailto:x@y.example"');
    expect(out).toContain("href='#top'");
    expect(out).toMatch(
      /<img src="https:\/\/relance\.example\/hooks\/t\/o\.gif\?t=[^"]+"[^>]*><\/body><\/html>$/,
    );
    expect(out).not.toContain('relance.example//');
  });
});
