import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { LOGO_MAX_BYTES } from '../../../src/domain/branding/logo-image.js';
import { uploadLogo } from '../../../src/services/branding/upload-logo.js';
import { renderEscalationFile } from '../../../src/services/law/build-escalation-file.js';
import { renderFormalNotice } from '../../../src/services/law/render-formal-notice.js';
import { createPortalLink } from '../../../src/services/portal/create-portal-link.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeJpegHeader, makePng, SVG_LOGO } from '../../helpers/images.js';
import { fileUpload } from '../../helpers/upload.js';
import { imagesPerPage } from '../../unit/channels/pdf-text.js';
import { keyFor, NOW, type OrgFixture, orgWithKey, testServer } from '../api/factories.js';
import { type CaseFixture, seedCase } from '../law/case-fixture.js';

const BASE = 'https://pay.example.com';

describeEngines('organisation logo: upload, refuse, remove, print, serve to the portal', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let b: OrgFixture;
  let c: CaseFixture;
  const png = makePng(240, 80);

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Logo SAS');
    b = await orgWithKey(t.db, 'Sans Logo SARL');
    c = await seedCase(t.db);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const upload = (file: { name: string; type: string; content: Buffer }, auth = a.auth) => {
    const { payload, headers } = fileUpload(file);
    return app.inject({
      method: 'PUT',
      url: '/api/v1/settings/logo',
      headers: { ...auth, ...headers },
      payload,
    });
  };
  const getLogo = (auth = a.auth) =>
    app.inject({ method: 'GET', url: '/api/v1/settings/logo', headers: auth });

  it('stores a PNG, answers its decoded dimensions, and gives it back byte for byte', async () => {
    const r = await upload({ name: 'logo.png', type: 'image/png', content: png });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ mediaType: 'image/png', width: 240, height: 80, sizeBytes: png.length });
    const back = await getLogo();
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('image/png');
    expect(back.rawPayload.equals(png)).toBe(true);
    // Another organisation sees none.
    expect((await getLogo(b.auth)).statusCode).toBe(404);
  });

  it('replaces it with a JPEG, typed by its bytes and not by its name', async () => {
    const jpeg = makeJpegHeader(400, 120);
    const r = await upload({ name: 'logo.png', type: 'image/png', content: jpeg });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ mediaType: 'image/jpeg', width: 400, height: 120 });
    const meta = await app.inject({ method: 'GET', url: '/api/v1/settings/logo/meta', headers: a.auth });
    expect(meta.json()).toMatchObject({ mediaType: 'image/jpeg', sizeBytes: jpeg.length });
  });

  it('refuses an SVG, a renamed text file and an oversized file with a clear error, keeping the logo', async () => {
    const svg = await upload({ name: 'logo.svg', type: 'image/svg+xml', content: SVG_LOGO });
    expect(svg.statusCode).toBe(400);
    expect(svg.json()).toMatchObject({ code: 'VALIDATION' });
    expect(svg.json().detail).toMatch(/SVG is not accepted/);
    const renamed = await upload({
      name: 'logo.png',
      type: 'image/png',
      content: Buffer.from('not an image at all'),
    });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().detail).toMatch(/not a PNG or JPEG image/);
    const big = await upload({
      name: 'logo.png',
      type: 'image/png',
      content: Buffer.concat([png, Buffer.alloc(LOGO_MAX_BYTES)]),
    });
    expect(big.statusCode).toBe(413);
    expect((await getLogo()).headers['content-type']).toBe('image/jpeg');
  });

  it('lets only an admin upload or remove it', async () => {
    const viewer = await keyFor(t.db, a.org.id, 'viewer');
    const auth = { authorization: `Bearer ${viewer}` };
    expect((await upload({ name: 'l.png', type: 'image/png', content: png }, auth)).statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'DELETE', url: '/api/v1/settings/logo', headers: auth })).statusCode,
    ).toBe(403);
    expect((await getLogo(auth)).statusCode).toBe(200);
  });

  it('removes it', async () => {
    const r = await app.inject({ method: 'DELETE', url: '/api/v1/settings/logo', headers: a.auth });
    expect(r.statusCode).toBe(204);
    expect((await getLogo()).statusCode).toBe(404);
    const again = await app.inject({ method: 'DELETE', url: '/api/v1/settings/logo', headers: a.auth });
    expect(again.statusCode).toBe(404);
  });

  it('prints it on the formal notice, the escalation file and the portal statement, and serves it through the portal link only', async () => {
    const token = (
      await withOrg(t.db, c.orgId, (trx) =>
        createPortalLink(trx, c.orgId, { customerId: c.customerId }, { baseUrl: BASE, now: NOW }),
      )
    ).url.slice(`${BASE}/portal/`.length);
    const opts = { date: '2025-09-30' };
    const statement = () => app.inject({ method: 'GET', url: `/portal-api/${token}/statement.pdf` });
    const firstPages = async () => [
      (await imagesPerPage((await renderFormalNotice(t.db, c.orgId, c.customerId, opts)).pdf))[0],
      (await imagesPerPage((await renderEscalationFile(t.db, c.orgId, c.customerId, opts)).pdf.pdf))[0],
      (await imagesPerPage((await statement()).rawPayload))[0],
    ];
    expect(await firstPages()).toEqual([0, 0, 0]);
    expect((await app.inject({ method: 'GET', url: `/portal-api/${token}/logo` })).statusCode).toBe(404);

    await uploadLogo(t.db, c.orgId, png);
    expect(await firstPages()).toEqual([1, 1, 1]);

    const served = await app.inject({ method: 'GET', url: `/portal-api/${token}/logo` });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.rawPayload.equals(png)).toBe(true);
    const summary = await app.inject({ method: 'GET', url: `/portal-api/${token}/summary` });
    expect(summary.json().creditor.logoUrl).toBe(`/portal-api/${token}/logo`);
    // A tampered or made-up token gets nothing.
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await app.inject({ method: 'GET', url: `/portal-api/${tampered}/logo` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/portal-api/not-a-token/logo' })).statusCode).toBe(404);
  });
});
