import { describe, expect, it } from 'vitest';
import { resolveChannels } from '../../../src/domain/dunning/channels.js';
import { DEFAULT_DUNNING_SETTINGS as S } from '../../../src/domain/dunning/types.js';
import { contact, customer } from './fixtures.js';

const names = (r: ReturnType<typeof resolveChannels>) => r.channels.map((c) => c.channel);

describe('channel resolution', () => {
  it('keeps email and SMS when the contact has both and consents', () => {
    const r = resolveChannels(['email', 'sms'], customer(), S);
    expect(r.channels).toEqual([
      { channel: 'email', contactId: 'ct-1', address: 'claire@client.example' },
      { channel: 'sms', contactId: 'ct-1', address: '+33612345678' },
    ]);
    expect(r.notes).toEqual([]);
  });

  it('drops the SMS without consent and lets the email carry the reminder', () => {
    const r = resolveChannels(['email', 'sms'], customer({ contacts: [contact({ consentSms: false })] }), S);
    expect(names(r)).toEqual(['email']);
    expect(r.notes).toEqual(['SMS dropped: no SMS consent; the email carries the reminder']);
  });

  it('falls back from an SMS-only step to email without consent', () => {
    const r = resolveChannels(['sms'], customer({ contacts: [contact({ consentSms: false })] }), S);
    expect(names(r)).toEqual(['email']);
    expect(r.notes[0]).toMatch(/SMS → email: no SMS consent/);
  });

  it('sends SMS without consent only when the organisation disables the requirement', () => {
    const r = resolveChannels(['sms'], customer({ contacts: [contact({ consentSms: false })] }), {
      ...S,
      smsRequiresConsent: false,
    });
    expect(names(r)).toEqual(['sms']);
  });

  it('replaces an invalid email with a postal letter', () => {
    const r = resolveChannels(['email'], customer({ contacts: [contact({ emailValid: false })] }), S);
    expect(names(r)).toEqual(['letter']);
    expect(r.notes).toEqual(['email → letter: email address invalid']);
  });

  it('creates a call task when neither email nor postal address can be used', () => {
    const r = resolveChannels(
      ['email'],
      customer({ hasPostalAddress: false, contacts: [contact({ email: null })] }),
      S,
    );
    expect(r.channels).toEqual([{ channel: 'call_task', contactId: 'ct-1', address: '+33612345678' }]);
    expect(r.notes[0]).toMatch(/no email address and no postal address/);
  });

  it('turns a registered letter without postal address into a call task', () => {
    const r = resolveChannels(['registered_letter'], customer({ hasPostalAddress: false }), S);
    expect(names(r)).toEqual(['call_task']);
  });

  it('does not post both a letter and a registered letter', () => {
    const r = resolveChannels(
      ['registered_letter', 'email'],
      customer({ contacts: [contact({ emailValid: false })] }),
      S,
    );
    expect(names(r)).toEqual(['registered_letter']);
  });

  it('prefers the primary contact', () => {
    const r = resolveChannels(
      ['email'],
      customer({
        contacts: [
          contact({ id: 'a', email: 'other@x.example', isPrimary: false }),
          contact({ id: 'b', email: 'boss@x.example', isPrimary: true }),
        ],
      }),
      S,
    );
    expect(r.channels[0]?.address).toBe('boss@x.example');
  });

  it('skips a contact who refused email for one who accepts it', () => {
    const r = resolveChannels(
      ['email'],
      customer({
        contacts: [
          contact({ id: 'a', consentEmail: false, isPrimary: true }),
          contact({ id: 'b', email: 'ap@x.example', isPrimary: false }),
        ],
      }),
      S,
    );
    expect(r.channels[0]).toMatchObject({ contactId: 'b', address: 'ap@x.example' });
  });

  it('among several qualifying contacts takes the first primary one, else the first listed', () => {
    const listed = [
      contact({ id: 'a', isPrimary: false }),
      contact({ id: 'b', isPrimary: true, emailValid: false }),
      contact({ id: 'c', isPrimary: false }),
      contact({ id: 'd', isPrimary: true }),
      contact({ id: 'e', isPrimary: true }),
    ];
    const ids = (contacts: typeof listed) =>
      resolveChannels(['email', 'sms'], customer({ contacts }), S).channels.map((c) => c.contactId);
    expect(ids(listed)).toEqual(['d', 'b']);
    expect(ids(listed.filter((c) => !c.isPrimary))).toEqual(['a', 'a']);
  });

  it('asks a human to call when no contact exists at all', () => {
    const r = resolveChannels(['sms'], customer({ contacts: [], hasPostalAddress: false }), S);
    expect(names(r)).toEqual(['call_task']);
    expect(r.notes).toContain('no channel can reach the debtor: call task for a human');
  });
});

describe('channels the organisation does not have', () => {
  it('drops SMS at planning when no SMS provider is configured, the email carrying the reminder', () => {
    const r = resolveChannels(['email', 'sms'], customer(), { ...S, smsAvailable: false });
    expect(r.channels.map((c) => c.channel)).toEqual(['email']);
    expect(r.notes).toEqual(['SMS dropped: no SMS provider configured; the email carries the reminder']);
  });

  it('falls back to email for an SMS-only step without a provider, never queueing an SMS', () => {
    const r = resolveChannels(['sms'], customer(), { ...S, smsAvailable: false });
    expect(r.channels.map((c) => c.channel)).toEqual(['email']);
    expect(r.notes).toEqual(['SMS → email: no SMS provider configured']);
  });
});
