import { describe, expect, it } from 'vitest';
import { parseEmailEvents, receiptOfEmailEvent } from '../../../src/services/channels/record-email-events.js';
import { signBody, verifyBodySignature } from '../../../src/services/channels/webhook-secrets.js';

describe('generic signed email events', () => {
  it('accepts one event, an array or {events}, and refuses anything else with field paths', () => {
    const e = { messageId: 'a@b.example', type: 'delivered' };
    expect(parseEmailEvents(JSON.stringify(e))).toHaveLength(1);
    expect(parseEmailEvents(JSON.stringify([e, e]))).toHaveLength(2);
    expect(parseEmailEvents(JSON.stringify({ events: [e] }))).toHaveLength(1);
    expect(() => parseEmailEvents('not json')).toThrow(/not JSON/);
    expect(() => parseEmailEvents(JSON.stringify({ messageId: 'a@b', type: 'exploded' }))).toThrow(
      /invalid email event/,
    );
  });

  it('maps hard bounces to bounced (5.1.x flags the address), soft ones to failed, complaints to delivered', () => {
    const hard = receiptOfEmailEvent({ messageId: 'x@y.example', type: 'bounce', status: '5.1.1' });
    expect(hard).toMatchObject({
      provider: 'smtp',
      providerMessageId: '<x@y.example>',
      status: 'bounced',
      providerStatus: 'hard_bounce',
      invalidAddress: true,
      eventKey: '<x@y.example>:hard_bounce:5.1.1',
    });
    const policy = receiptOfEmailEvent({ messageId: '<x@y.example>', type: 'bounce', status: '5.7.1' });
    expect(policy.status).toBe('bounced');
    expect(policy.invalidAddress).toBeUndefined();
    const soft = receiptOfEmailEvent({
      messageId: 'x@y.example',
      type: 'bounce',
      bounceType: 'soft',
      status: '4.2.2',
    });
    expect(soft).toMatchObject({ status: 'failed', providerStatus: 'soft_bounce' });
    expect(receiptOfEmailEvent({ id: 'e-9', messageId: 'x@y.example', type: 'complaint' })).toMatchObject({
      status: 'delivered',
      providerStatus: 'complaint',
      eventKey: 'event:e-9',
    });
  });

  it('verifies a body signature with or without the sha256= prefix, in constant time', () => {
    const body = '{"messageId":"a@b","type":"delivered"}';
    const sig = signBody('secret-secret-secret', body);
    expect(verifyBodySignature('secret-secret-secret', body, sig)).toBe(true);
    expect(verifyBodySignature('secret-secret-secret', body, sig.replace('sha256=', '').toUpperCase())).toBe(
      true,
    );
    expect(verifyBodySignature('secret-secret-secret', `${body} `, sig)).toBe(false);
    expect(verifyBodySignature('other-secret-secret', body, sig)).toBe(false);
    expect(verifyBodySignature('secret-secret-secret', body, undefined)).toBe(false);
  });
});
