import type { Command } from 'commander';
import { withOrg } from '../../db/connection.js';
import { customersWithEvidence, listEvidence } from '../../db/queries/evidence.js';
import { verifyChain } from '../../domain/dunning/index.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';

export function register(program: Command): void {
  withOrgOption(
    program
      .command('verify-evidence')
      .description("check every customer's evidence file (hash chain) and say where it breaks")
      .option('--json', 'machine-readable output'),
  ).action(
    action(async (opts: { org?: string; json?: boolean }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, opts);
        let files = 0;
        let entries = 0;
        const broken: { customerId: string; seq: number; id: string; problem: string; detail: string }[] = [];
        let after: string | null = null;
        for (;;) {
          const ids: string[] = await withOrg(rt.handle.db, org.id, (trx) =>
            customersWithEvidence(trx, org.id, after, 500),
          );
          if (ids.length === 0) break;
          after = ids[ids.length - 1] ?? null;
          for (const customerId of ids) {
            const chain = await withOrg(rt.handle.db, org.id, (trx) => listEvidence(trx, org.id, customerId));
            const v = verifyChain(chain);
            files++;
            entries += chain.length;
            if (!v.ok)
              broken.push({ customerId, seq: v.seq, id: v.id, problem: v.problem, detail: v.detail });
          }
        }
        if (opts.json) process.stdout.write(`${JSON.stringify({ files, entries, broken }, null, 2)}\n`);
        else if (broken.length === 0)
          process.stdout.write(`Evidence intact: ${files} file(s), ${entries} entr(ies) verified.\n`);
        else {
          process.stdout.write(`Evidence BROKEN in ${broken.length} of ${files} file(s):\n`);
          for (const b of broken)
            process.stdout.write(
              `  customer ${b.customerId}, entry #${b.seq} (${b.id}): ${b.problem}: ${b.detail}\n`,
            );
        }
        if (broken.length > 0) process.exitCode = 1;
      });
    }),
  );
}
