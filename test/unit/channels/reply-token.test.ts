import { describe, expect, it } from 'vitest';
import {
  buildMessageId,
  createReplyToken,
  extractReplyToken,
  replyAddress,
  verifyReplyToken,
} from '../../../src/channels/email/reply-token.js';

const SECRET = 'app-secret-for-tests-0001';
const OTHER = 'another-secret-for-tests-02';
const id = '0b9f6c1e-8d2a-4f3b-9c7d-1e2f3a4b5c6d';

describe('reply tokens', () => {
  it('round-trips a UUID through a token', () => {
    const token = createReplyToken(id, SECRET);
    expect(token).toMatch(/^0b9f6c1e8d2a4f3b9c7d1e2f3a4b5c6d-[a-z2-7]{16}$/);
    expect(verifyReplyToken(token, SECRET)).toBe(id);
  });

  it('accepts a short alphanumeric id as is', () => {
    expect(verifyReplyToken(createReplyToken('act42', SECRET), SECRET)).toBe('act42');
  });

  it('is deterministic for the same id and secret', () => {
    expect(createReplyToken(id, SECRET)).toBe(createReplyToken(id.toUpperCase(), SECRET));
  });

  it('fits an RFC 5321 local part with the relance+ prefix', () => {
    const addr = replyAddress(createReplyToken(id, SECRET), 'reply.example.fr');
    expect(addr.split('@')[0]?.length).toBeLessThanOrEqual(64);
  });

  it('rejects a token signed with another secret', () => {
    expect(verifyReplyToken(createReplyToken(id, OTHER), SECRET)).toBeNull();
  });

  it('rejects a token whose id was changed to another customer message', () => {
    const token = createReplyToken(id, SECRET);
    const forged = `1${token.slice(1)}`;
    expect(verifyReplyToken(forged, SECRET)).toBeNull();
  });

  it('rejects a token whose MAC lost or changed a character', () => {
    const token = createReplyToken(id, SECRET);
    expect(verifyReplyToken(token.slice(0, -1), SECRET)).toBeNull();
    const last = token.at(-1) === 'a' ? 'b' : 'a';
    expect(verifyReplyToken(token.slice(0, -1) + last, SECRET)).toBeNull();
  });

  it('survives a mail server upper-casing the local part', () => {
    expect(verifyReplyToken(createReplyToken(id, SECRET).toUpperCase(), SECRET)).toBe(id);
  });

  it('refuses ids it cannot encode and secrets that are too short', () => {
    expect(() => createReplyToken('has space', SECRET)).toThrow(RangeError);
    expect(() => createReplyToken('x'.repeat(41), SECRET)).toThrow(RangeError);
    expect(() => createReplyToken(id, 'short')).toThrow(RangeError);
  });
});

describe('extracting the reply token of an inbound message', () => {
  const token = createReplyToken(id, SECRET);
  const msgId = buildMessageId({ idempotencyKey: 'k', replyToken: token, domain: 'reply.example.fr' });

  it('finds it in the plus-part of a recipient address with a display name', () => {
    const found = extractReplyToken(
      { recipients: [`"Compta Crèmes" <relance+${token}@reply.example.fr>`, 'other@example.fr'] },
      SECRET,
    );
    expect(found).toEqual({ token, id, source: 'address' });
  });

  it('finds it in In-Reply-To when the client replied to the From address', () => {
    const found = extractReplyToken({ recipients: ['compta@example.fr'], inReplyTo: msgId }, SECRET);
    expect(found).toEqual({ token, id, source: 'in-reply-to' });
  });

  it('finds it in References, preferring the most recent message', () => {
    const older = createReplyToken('11111111-2222-4333-8444-555555555555', SECRET);
    const refs = `<unrelated@gmail.com> <rl.${older}@reply.example.fr> ${msgId}`;
    const found = extractReplyToken({ recipients: [], references: refs }, SECRET);
    expect(found?.id).toBe(id);
    expect(found?.source).toBe('references');
  });

  it('accepts References as an array as mailparser returns it', () => {
    const found = extractReplyToken({ recipients: [], references: ['<a@b.c>', msgId] }, SECRET);
    expect(found?.id).toBe(id);
  });

  it('falls back to the X-Relance-Token header', () => {
    expect(extractReplyToken({ recipients: [], tokenHeader: ` ${token} ` }, SECRET)?.source).toBe('header');
  });

  it('skips a forged plus-address and uses a valid In-Reply-To', () => {
    const forged = createReplyToken(id, OTHER);
    const found = extractReplyToken(
      { recipients: [`relance+${forged}@reply.example.fr`], inReplyTo: msgId },
      SECRET,
    );
    expect(found?.source).toBe('in-reply-to');
  });

  it('returns null when no source holds a valid token', () => {
    expect(
      extractReplyToken(
        {
          recipients: ['relance+nothing@reply.example.fr', 'x+y@z.fr'],
          inReplyTo: '<CAF=abc@mail.gmail.com>',
          references: '<rl.garbage@reply.example.fr>',
        },
        SECRET,
      ),
    ).toBeNull();
  });

  it('builds a stable Message-ID from the idempotency key when there is no token', () => {
    const a = buildMessageId({ idempotencyKey: 'action-1', domain: 'example.fr' });
    expect(a).toBe(buildMessageId({ idempotencyKey: 'action-1', domain: 'example.fr' }));
    expect(a).not.toBe(buildMessageId({ idempotencyKey: 'action-2', domain: 'example.fr' }));
    expect(a).toMatch(/^<rl\.[0-9a-f]{32}@example\.fr>$/);
  });
});
