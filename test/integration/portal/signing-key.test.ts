import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { AppError } from '../../../src/errors.js';
import { createPortalLink } from '../../../src/services/portal/create-portal-link.js';
import { PORTAL_LINK_INVALID, withPortalAccess } from '../../../src/services/portal/portal-access.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, NOW, orgWithKey } from '../api/factories.js';

const SECRET = 'an-application-secret-of-some-length';

describeEngines('portal signing keys', (engine) => {
  let t: TestDb;
  let orgId: string;
  let customerId: string;

  const issue = (appSecret?: string) =>
    withOrg(t.db, orgId, (trx) =>
      createPortalLink(trx, orgId, { customerId }, { baseUrl: 'http://x', now: NOW, appSecret }),
    );
  const open = (token: string, appSecret?: string) =>
    withPortalAccess(t.db, token, { appSecret }, NOW, async (_trx, access) => access);

  beforeAll(async () => {
    t = await createTestDb(engine);
    orgId = (await orgWithKey(t.db, 'Delta SA')).org.id;
    customerId = ((await makeCustomers(t.db, orgId, 1))[0] as { id: string }).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('creates one stored secret per organisation on first use when RELANCE_SECRET is absent', async () => {
    const a = await issue();
    const b = await issue();
    expect(await t.db.selectFrom('portal_secrets').select('org_id').execute()).toEqual([{ org_id: orgId }]);
    expect((await open(a.token)).customerId).toBe(customerId);
    expect((await open(b.token)).linkId).toBe(b.id);
  });

  it('signs with a key derived from RELANCE_SECRET, and a change of secret invalidates links', async () => {
    const link = await issue(SECRET);
    expect((await open(link.token, SECRET)).linkId).toBe(link.id);
    for (const other of [undefined, `${SECRET}-rotated`]) {
      const err = await open(link.token, other).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toBe(PORTAL_LINK_INVALID);
    }
  });

  it('never creates a secret while verifying a token of an organisation without one', async () => {
    const fresh = (await orgWithKey(t.db, 'Epsilon SAS')).org.id;
    const forged = `${Buffer.concat([Buffer.from(fresh.replaceAll('-', ''), 'hex'), Buffer.alloc(16, 1)]).toString('base64url')}.${'A'.repeat(43)}`;
    await expect(open(forged)).rejects.toThrow(PORTAL_LINK_INVALID);
    expect(
      await t.db.selectFrom('portal_secrets').select('org_id').where('org_id', '=', fresh).execute(),
    ).toEqual([]);
  });
});
