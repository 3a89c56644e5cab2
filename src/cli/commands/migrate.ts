import type { Command } from 'commander';
import { sql } from 'kysely';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { describeDatabase } from '../describe-database.js';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (the server and every command also do it on start)')
    .action(
      action(async (_opts: Record<string, never>, cmd: Command) => {
        const startedAt = new Date();
        await withRuntime(cmd, async (rt) => {
          const rows = await sql<{ version: string; applied_at: Date }>`
              select version, applied_at from schema_migrations order by version
            `.execute(rt.handle.db);
          const now = rows.rows.filter((r) => new Date(r.applied_at) >= startedAt).map((r) => r.version);
          const latest = rows.rows[rows.rows.length - 1]?.version ?? '(none)';
          process.stdout.write(
            `${describeDatabase(rt.config)}: ${rows.rows.length} migrations, latest ${latest}` +
              (now.length > 0 ? `; applied now: ${now.join(', ')}` : '; nothing to apply') +
              '\n',
          );
        });
      }),
    );
}
