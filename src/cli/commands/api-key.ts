import type { Command } from 'commander';
import { withOrg } from '../../db/connection.js';
import { listApiKeys } from '../../db/queries/api-keys.js';
import { createApiKey, roles } from '../../services/api-keys/create-api-key.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';

export function register(program: Command): void {
  const apiKey = program.command('api-key').description('manage API keys (Authorization: Bearer rk_…)');

  withOrgOption(apiKey.command('create').description('create an API key and print its token once'))
    .requiredOption('--name <name>', 'what the key is for, e.g. "ERP sync"')
    .option('--role <role>', `one of ${roles.join(', ')}`, 'viewer')
    .action(
      action(async (o: { name: string; role: string; org?: string }, cmd: Command) => {
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const created = await withOrg(rt.handle.db, org.id, (trx) =>
            createApiKey(trx, org.id, { name: o.name, role: o.role as (typeof roles)[number] }),
          );
          process.stdout.write(
            `API key "${created.key.name}" (${created.key.role}) for ${org.slug}. ` +
              'The token is shown only now; only a hash is stored:\n' +
              `${created.token}\n`,
          );
        });
      }),
    );

  withOrgOption(apiKey.command('list').description('list API keys (never their secrets)')).action(
    action(async (o: { org?: string }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, o);
        const keys = await withOrg(rt.handle.db, org.id, (trx) => listApiKeys(trx, org.id));
        if (keys.length === 0) process.stdout.write(`No API key for ${org.slug}.\n`);
        for (const k of keys)
          process.stdout.write(
            `${k.prefix}  ${k.role.padEnd(10)}  ${k.name}${k.revoked_at ? ' (revoked)' : ''}\n`,
          );
      });
    }),
  );
}
