/**
 * A delivery worker for the kill test: drains one organisation's outbox one row at a time
 * with a short lease (10 s), so a killed sibling's claims come back within the test. Exits 0 when nothing
 * is left to deliver.
 */
import { pino } from 'pino';
import { EmailChannel } from '../../../src/channels/email/email-channel.js';
import { openDatabase, withOrg } from '../../../src/db/connection.js';
import { countUndelivered } from '../../../src/db/queries/dunning-outbox.js';
import { deliverDueActions } from '../../../src/services/dunning/deliver-actions.js';

const [url, orgId, smtpPort, asOfIso] = process.argv.slice(2) as [string, string, string, string];
const handle = await openDatabase({ databaseUrl: url, poolSize: 2 });
const asOf = new Date(asOfIso);
const email = new EmailChannel({ smtp: { host: '127.0.0.1', port: Number(smtpPort), secure: false } });
const deps = {
  channels: { email },
  workerId: `kill-${process.pid}`,
  log: pino({ level: 'silent' }),
  leaseSeconds: 10,
};
for (;;) {
  await deliverDueActions(handle.db, orgId, asOf, deps, { batch: 1, maxActions: 1 });
  const left = await withOrg(handle.db, orgId, (trx) => countUndelivered(trx, orgId, asOf));
  if (left === 0) break;
  await new Promise((r) => setTimeout(r, 100));
}
await handle.close();
process.exit(0);
