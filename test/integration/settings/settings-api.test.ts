import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createChannels, parseOrgChannelSettings } from '../../../src/channels/registry.js';
import { getOrganisation } from '../../../src/db/queries/organisations.js';
import { paymentPlanRulesOf } from '../../../src/domain/portal/payment-plan.js';
import { portalSettingsOf } from '../../../src/domain/portal/promise.js';
import { senderOf } from '../../../src/services/dunning/action-content.js';
import { dunningSettingsOf } from '../../../src/services/dunning/dunning-settings.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { keyFor, type OrgFixture, orgWithKey, testServer } from '../api/factories.js';

const VALID_IBAN = 'FR76 3000 6000 0112 3456 7890 189';
const SMTP_PASSWORD = 'S3cret-p@ss';

describeEngines('settings API: read, write, validation, readers pick the values up', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let b: OrgFixture;
  let viewer: string;

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Alpha SAS');
    b = await orgWithKey(t.db, 'Beta SARL');
    viewer = await keyFor(t.db, a.org.id, 'viewer');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const put = (body: unknown, auth = a.auth) =>
    app.inject({ method: 'PUT', url: '/api/v1/settings', headers: auth, payload: body as object });

  it('answers the defaults the engines apply for a new organisation', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/settings', headers: a.auth });
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json();
    expect(s.organisation.legalName).toBe('Alpha SAS');
    expect(s.contactLimits).toMatchObject({ sendWindowStart: '08:00', timeZone: 'Europe/Paris' });
    expect(s.paymentPlan).toMatchObject({ maxInstalments: 12, minInstalmentMinor: 5000 });
    expect(s.channels.smtp).toBeNull();
    expect(s.warnings).toEqual([]);
  });

  it('saves every section, and the dunning engine, channels and portal read the new values', async () => {
    const r = await put({
      organisation: { legalName: 'Alpha Industrie SAS', siren: '732 829 320', city: 'Lyon', country: 'fr' },
      bank: { iban: VALID_IBAN, bic: 'bnpafrpp' },
      terms: {
        paymentTermsDays: 45,
        latePenaltyRate: '12,5',
        latePenaltyClause: 'Pénalités 12,5 %',
        autoAllocatePayments: true,
      },
      channels: {
        senderName: 'Service recouvrement',
        senderEmail: 'relances@alpha.fr',
        replyDomain: 'reply.alpha.fr',
        smtpUrl: `smtp://mailer:${encodeURIComponent(SMTP_PASSWORD)}@smtp.alpha.fr:2525`,
      },
      contactLimits: {
        maxContactsPer7Days: 2,
        sendWindowStart: '09:30',
        sendWindowEnd: '17:00',
        timeZone: 'America/Martinique',
        noSendOnSundays: true,
        noSendOnPublicHolidays: false,
      },
      paymentPlan: {
        maxInstalments: 6,
        minInstalmentMinor: 10_000,
        minDownPaymentPercent: '20',
        maxPromiseDays: 20,
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.body).not.toContain(SMTP_PASSWORD);
    const view = r.json();
    expect(view.bank).toEqual({ iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP' });
    expect(view.organisation).toMatchObject({ siren: '732829320', country: 'FR' });
    expect(view.terms).toMatchObject({ latePenaltyRate: '12.5', paymentTermsDays: 45 });
    expect(view.channels.smtp).toEqual({
      host: 'smtp.alpha.fr',
      port: 2525,
      secure: false,
      user: 'mailer',
      hasPassword: true,
    });
    expect(view.warnings).toEqual([]);

    const org = await getOrganisation(t.db, a.org.id);
    if (!org) throw new Error('org vanished');
    const d = dunningSettingsOf(org.settings, org.time_zone);
    expect(d).toMatchObject({
      maxContactsPer7Days: 2,
      sendWindowStartMinute: 570,
      sendWindowEndMinute: 1020,
      defaultTimeZone: 'America/Martinique',
      noSendOnSundays: true,
      noSendOnPublicHolidays: false,
    });
    const rules = paymentPlanRulesOf(org.settings);
    expect(rules).toMatchObject({
      maxInstalments: 6,
      minInstalmentMinor: 10_000,
      minDownPaymentPercent: '20',
      maxDurationDays: 365,
    });
    expect(portalSettingsOf(org.settings).maxPromiseDays).toBe(20);
    const ch = parseOrgChannelSettings(org.settings);
    expect(ch.smtp).toMatchObject({ host: 'smtp.alpha.fr', port: 2525, user: 'mailer', pass: SMTP_PASSWORD });
    const channels = createChannels({ org: ch });
    expect(channels.email).toBeDefined();
    channels.close();
    const sender = senderOf(org);
    expect(sender).toMatchObject({
      name: 'Service recouvrement',
      email: 'relances@alpha.fr',
      replyDomain: 'reply.alpha.fr',
    });
    expect(org.default_payment_terms_days).toBe(45);
    expect(org.iban).toBe('FR7630006000011234567890189');
    expect((org.settings as { autoAllocatePayments?: boolean }).autoAllocatePayments).toBe(true);

    // The other organisation is untouched.
    const other = await app.inject({ method: 'GET', url: '/api/v1/settings', headers: b.auth });
    expect(other.json().organisation.legalName).toBe('Beta SARL');
    expect(other.json().channels.smtp).toBeNull();
  });

  it('keeps the SMTP server when a save leaves smtpUrl out, and removes it with null', async () => {
    const keep = await put({ channels: { senderName: null } });
    expect(keep.json().channels).toMatchObject({ senderName: null, smtp: { host: 'smtp.alpha.fr' } });
    const gone = await put({ channels: { smtpUrl: null } });
    expect(gone.json().channels.smtp).toBeNull();
    // Other keys of the same block survive a partial save.
    expect(gone.json().channels.senderEmail).toBe('relances@alpha.fr');
  });

  it('warns, but saves, a penalty rate below three times the taux légal', async () => {
    const r = await put({ terms: { latePenaltyRate: '5' } });
    expect(r.statusCode, r.body).toBe(200);
    // 2026-H1: taux légal (autres cas) 2.62 % → floor 7.86 %.
    expect(r.json().warnings).toEqual([
      expect.objectContaining({ field: 'terms.latePenaltyRate', code: 'FLOOR_APPLIED', floor: '7.86' }),
    ]);
    expect(r.json().terms.latePenaltyRate).toBe('5');
    const g = await app.inject({ method: 'GET', url: '/api/v1/settings', headers: a.auth });
    expect(g.json().warnings[0].code).toBe('FLOOR_APPLIED');
  });

  it('refuses bad values field by field with stable codes, never echoing the SMTP password', async () => {
    const r = await put({
      bank: { iban: 'FR76 3000 6000 0112 3456 7890 188', bic: 'BNP' },
      organisation: { siren: '12345', legalName: '' },
      contactLimits: { timeZone: 'Mars/Olympus', sendWindowStart: '25:00' },
      channels: { smtpUrl: `http://user:${SMTP_PASSWORD}@x` },
      paymentPlan: { maxInstalments: 0 },
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).not.toContain(SMTP_PASSWORD);
    const codes = Object.fromEntries(
      (r.json().errors as { field: string; code: string }[]).map((e) => [e.field, e.code]),
    );
    expect(codes).toEqual({
      'bank.iban': 'iban_checksum',
      'bank.bic': 'bic_format',
      'organisation.siren': 'siren_format',
      'organisation.legalName': 'required',
      'contactLimits.timeZone': 'time_zone_unknown',
      'contactLimits.sendWindowStart': 'time_format',
      'channels.smtpUrl': 'smtp_url_format',
      'paymentPlan.maxInstalments': 'too_small',
    });
    const window = await put({ contactLimits: { sendWindowStart: '18:00', sendWindowEnd: '08:00' } });
    expect(window.statusCode).toBe(400);
    expect(window.json().errors[0]).toMatchObject({
      field: 'contactLimits.sendWindowEnd',
      code: 'window_order',
    });
    const unknown = await put({ colour: 'blue' });
    expect(unknown.statusCode).toBe(400);
    // Nothing of the refused saves stuck.
    const g = await app.inject({ method: 'GET', url: '/api/v1/settings', headers: a.auth });
    expect(g.json().bank.iban).toBe('FR7630006000011234567890189');
    expect(g.json().contactLimits.sendWindowStart).toBe('09:30');
  });

  it('lets a viewer read but not write, and keeps each organisation to its own settings', async () => {
    const read = await app.inject({
      method: 'GET',
      url: '/api/v1/settings',
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(read.statusCode).toBe(200);
    const write = await put(
      { organisation: { legalName: 'Hijacked' } },
      { authorization: `Bearer ${viewer}` },
    );
    expect(write.statusCode).toBe(403);
    const other = await put({ organisation: { legalName: 'Beta renamed' } }, b.auth);
    expect(other.statusCode).toBe(200);
    expect((await getOrganisation(t.db, a.org.id))?.legal_name).toBe('Alpha Industrie SAS');
  });
});
