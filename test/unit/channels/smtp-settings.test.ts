import { describe, expect, it } from 'vitest';
import { classifySmtpError } from '../../../src/channels/email/email-channel.js';
import { describeSmtp, parseSmtpUrl } from '../../../src/channels/email/smtp-settings.js';
import { AppError } from '../../../src/errors.js';

describe('SMTP_URL parsing', () => {
  it('reads user, password, host and port of smtp://', () => {
    expect(parseSmtpUrl('smtp://mailer:p%40ss%3Aw@mail.example.fr:2525')).toEqual({
      host: 'mail.example.fr',
      port: 2525,
      secure: false,
      user: 'mailer',
      pass: 'p@ss:w',
    });
  });

  it('defaults to 587 for smtp:// and 465 with implicit TLS for smtps://', () => {
    expect(parseSmtpUrl('smtp://relay.example.fr')).toMatchObject({ port: 587, secure: false });
    expect(parseSmtpUrl('smtps://relay.example.fr')).toMatchObject({ port: 465, secure: true });
  });

  it('reads requireTLS from the query string', () => {
    expect(parseSmtpUrl('smtp://relay.example.fr:25?requireTLS=true').requireTls).toBe(true);
  });

  it('refuses other schemes without echoing the URL and its password', () => {
    try {
      parseSmtpUrl('http://u:topsecret@host');
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect(String((e as Error).message)).not.toContain('topsecret');
      expect(JSON.stringify((e as AppError).details)).not.toContain('topsecret');
    }
    expect(() => parseSmtpUrl('not a url with secret')).toThrow(/not a valid URL/);
  });

  it('describes settings for logs without the password', () => {
    const d = describeSmtp(parseSmtpUrl('smtps://u:topsecret@h:465'));
    expect(JSON.stringify(d)).not.toContain('topsecret');
    expect(d).toEqual({ host: 'h', port: 465, secure: true, user: 'u' });
  });
});

describe('SMTP error classification', () => {
  it('retries 4xx replies', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 452, command: 'RCPT TO' }).retryable).toBe(
      true,
    );
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 421, command: 'DATA' }).retryable).toBe(true);
  });

  it('flags the address on a 5xx to RCPT TO or an enhanced 5.1.x status', () => {
    expect(
      classifySmtpError({ code: 'EENVELOPE', responseCode: 553, command: 'RCPT TO' }).invalidAddress,
    ).toBe(true);
    expect(
      classifySmtpError({
        code: 'EMESSAGE',
        responseCode: 550,
        command: 'DATA',
        response: '550 5.1.1 unknown',
      }).invalidAddress,
    ).toBe(true);
  });

  it('does not blame the address for a content refusal', () => {
    const e = classifySmtpError({
      code: 'EMESSAGE',
      responseCode: 554,
      command: 'DATA',
      response: '554 5.7.1 spam',
    });
    expect(e.retryable).toBe(false);
    expect(e.invalidAddress).toBe(false);
    expect(e.code).toBe('UNPROCESSABLE');
  });

  it('retries timeouts and resets, not authentication failures', () => {
    expect(classifySmtpError({ code: 'ETIMEDOUT' }).retryable).toBe(true);
    expect(classifySmtpError({ code: 'ECONNECTION', cause: { code: 'ECONNRESET' } }).retryable).toBe(true);
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535 }).retryable).toBe(false);
  });
});
