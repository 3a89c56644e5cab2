import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { paymentProvidersOf } from '../../channels/payments/registry.js';
import { publicBaseUrl } from '../../config.js';
import { withOrg } from '../../db/connection.js';
import { pendingWorkFor } from '../../db/queries/dunning-outbox.js';
import { isIsoDate } from '../../domain/calendar/index.js';
import { formatMoney, money } from '../../domain/money/index.js';
import { AppError } from '../../errors.js';
import { channelSetFromConfig } from '../../services/dunning/channel-set.js';
import type { PlanRunResult } from '../../services/dunning/plan-dunning-run.js';
import { runDunning, runInstant } from '../../services/dunning/run-dunning.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';
import { EXIT } from '../run-command.js';

interface RunOptions {
  date?: string;
  dryRun?: boolean;
  json?: boolean;
  org?: string;
}

function printPreview(plan: PlanRunResult, locale: string): void {
  const out: string[] = [
    `Dry run for ${plan.localDate} (${plan.now}): ${plan.actions} action(s), ${plan.postponed} postponed, ${plan.excludedItems} item(s) excluded`,
  ];
  for (const p of plan.plans) {
    if (p.plan.actions.length + p.plan.postponed.length === 0) continue;
    out.push(`\n${p.customerName} — policy ${p.policyKey} v${p.policyVersion} (${p.policyReason})`);
    for (const a of p.plan.actions) {
      const total = a.totals.map((t) => formatMoney(money(t.balanceMinor, t.currency), locale)).join(' + ');
      const via =
        a.kind === 'task'
          ? `task (${a.taskKind})`
          : a.channels.map((c) => `${c.channel}${c.address ? ` ${c.address}` : ''}`).join(', ') ||
            'no channel';
      out.push(`  → ${a.stepLabel} via ${via}, ${total}`);
      out.push(`    why: ${a.reason}`);
      for (const n of a.channelNotes) out.push(`    note: ${n}`);
      if (a.catchUp) {
        const fr = locale.startsWith('fr');
        const next = a.nextStep
          ? fr
            ? ` — étape suivante (${a.nextStep.label}) au plus tôt le ${a.nextStep.date}`
            : ` — next step (${a.nextStep.label}) not before ${a.nextStep.date}`
          : '';
        out.push(`    ${fr ? "reprise d'un arriéré" : 'backlog catch-up'}${next}`);
      }
    }
    for (const x of p.plan.postponed)
      out.push(`  ⏸ ${x.action.stepLabel} postponed to ${x.nextTryDate}: ${x.detail}`);
    for (const e of p.plan.excluded) out.push(`  ∅ ${e.invoiceNumber} excluded: ${e.detail}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export function register(program: Command): void {
  withOrgOption(
    program
      .command('run')
      .description("plan today's dunning run and deliver it (what the scheduler does daily), or preview it")
      .option('--date <YYYY-MM-DD>', "run as that day at the organisation's send time (default: now)")
      .option('--dry-run', 'print what would happen and why, without sending or writing anything')
      .option('--json', 'machine-readable output'),
  ).action(
    action(async (opts: RunOptions, cmd: Command) => {
      if (opts.date && !isIsoDate(opts.date)) {
        throw new AppError('VALIDATION', `--date "${opts.date}" is not a YYYY-MM-DD date`, [
          { field: 'date', value: opts.date, reason: 'expected YYYY-MM-DD' },
        ]);
      }
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, opts);
        const workerId = `cli-${process.pid}-${randomUUID().slice(0, 8)}`;
        const at = await withOrg(rt.handle.db, org.id, (trx) => runInstant(trx, org.id, opts.date));
        const result = await runDunning(rt.handle.db, org.id, {
          at,
          dryRun: opts.dryRun ?? false,
          delivery: {
            channels: channelSetFromConfig(rt.config, rt.log),
            workerId,
            log: rt.log,
            ...(rt.config.RELANCE_SECRET ? { secret: rt.config.RELANCE_SECRET } : {}),
            portalBaseUrl: publicBaseUrl(rt.config),
            onlinePayment: paymentProvidersOf(rt.config).checkout !== undefined,
          },
        });
        if (opts.dryRun && !opts.json) return printPreview(result.plan, org.locale);
        const pending = opts.dryRun
          ? null
          : await withOrg(rt.handle.db, org.id, (trx) =>
              pendingWorkFor(trx, org.id, result.plan.localDate, workerId),
            );
        // Not done: something planned for the date is still claimed, retrying or failed.
        const incomplete =
          pending !== null && pending.claimedElsewhere + pending.waitingForRetry + pending.failed > 0;
        if (incomplete) process.exitCode = EXIT.runIncomplete;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...result, pending }, null, 2)}\n`);
          return;
        }
        if (opts.dryRun) return;
        const d = result.delivery;
        process.stdout.write(
          `Run for ${org.slug} on ${result.plan.localDate}: ${result.plan.customersScanned} customer(s) scanned, ` +
            `${result.plan.outboxRowsInserted} new outbox row(s), ${result.plan.postponed} postponed.\n` +
            (d
              ? `Delivered: ${d.sent} sent, ${d.tasks} task(s), ${d.cancelled} cancelled (paid/disputed since planning), ${d.retried} to retry, ${d.failed} failed.\n`
              : ''),
        );
        if (pending) {
          const p = pending;
          const lines = [
            `Pending for ${result.plan.localDate}: ${p.claimedElsewhere} claimed by another worker (a running or stopped process; taken back when its lease expires), ` +
              `${p.waitingForRetry} waiting for retry${p.nextRetryAt ? ` (next attempt from ${p.nextRetryAt.toISOString()})` : ''}, ` +
              `${p.queuedForPrint} letter(s) queued for print (not yet posted), ${p.failed} failed.`,
            ...p.errors.map((e) => `  error: ${e}`),
            incomplete
              ? `Not everything planned for ${result.plan.localDate} is done: run again later (exit status ${EXIT.runIncomplete}).`
              : `Everything planned for ${result.plan.localDate} is done.`,
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
        }
      });
    }),
  );
}
