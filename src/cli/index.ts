import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
  await import('./commands/case.js'),
  await import('./commands/settings.js'),
  await import('./commands/solvency.js'),
  await import('./commands/model.js'),
  await import('./commands/forecast.js'),
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

/** Run one command line (`argv` as in process.argv) and return its exit code, without exiting. */
export async function main(argv: string[]): Promise<number> {
  await buildProgram().parseAsync(argv);
  return Number(process.exitCode ?? 0);
}

/** Run only as the program (`tsx src/cli/index.ts`, or bin/relance.js), so tests can import main. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const entries = [
    fileURLToPath(import.meta.url),
    fileURLToPath(new URL('../../bin/relance.js', import.meta.url)),
  ];
  try {
    return entries.includes(realpathSync(script));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv);
  // Close any handle a library left open (pool timers, PGlite workers) once the command is done.
  process.exit(code);
}
