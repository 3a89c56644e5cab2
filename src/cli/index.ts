import { Command } from 'commander';

/**
 * `relance`: the command line. Each command lives in ./commands and exports
 * `register(program)`; adding one is one line in the list below.
 */
export interface CommandModule {
  register(program: Command): void;
}

const commands: CommandModule[] = [
  await import('./commands/org.js'),
  await import('./commands/import.js'),
  await import('./commands/demo.js'),
  await import('./commands/migrate.js'),
  await import('./commands/api-key.js'),
  await import('./commands/penalties.js'),
  await import('./commands/rates.js'),
  await import('./commands/run.js'),
  await import('./commands/verify-evidence.js'),
  await import('./commands/portal.js'),
  await import('./commands/escalation.js'),
  await import('./commands/bank.js'),
];

export function buildProgram(): Command {
  const program = new Command('relance')
    .description('Relance: accounts-receivable collections (recouvrement de créances)')
    .option('-v, --verbose', 'show logs and stack traces')
    .showHelpAfterError('(run `relance --help` for usage)')
    .addHelpText(
      'after',
      '\nThe database is the embedded one in DATA_DIR (default ./data) unless DATABASE_URL is set.\n' +
        'Commands act on --org SLUG, by default the only organisation there is.',
    );
  for (const c of commands) c.register(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
// Close any handle a library left open (pool timers, PGlite workers) once the command is done.
process.exit(process.exitCode ?? 0);
