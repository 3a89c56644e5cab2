import { pathToFileURL } from 'node:url';

/** The value after `--name` in a benchmark's arguments. */
export function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * Run a benchmark's `main` when its file is run directly (`npx tsx bench/x.bench.ts`), print
 * its result as the last line of JSON (what bench/run.ts reads), and exit: a database pool or
 * a server left open must not keep the process alive.
 */
export function runWhenMain(moduleUrl: string, main: () => Promise<object>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  main().then(
    (r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
