/**
 * `npm run bench`: run every bench/*.bench.ts in sequence, each in its own process (so
 * peak memory is that benchmark's own), print a summary table and write
 * bench/results/latest.json.
 *
 *   npm run bench                          # all benchmarks
 *   npm run bench -- --only import         # the ones whose file name contains "import"
 *   npm run bench -- --only import --rows 100000   # other flags go to each benchmark's main(argv)
 *
 * A benchmark exports `main(argv): Promise<Record<string, unknown>>`, or prints one JSON
 * object on its last line of output when run directly.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const MARK = '__RELANCE_BENCH_RESULT__';

type Result = Record<string, unknown>;

function runNode(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Pass the benchmark's own progress through, minus our marker line.
      process.stderr.write(
        d
          .toString()
          .split('\n')
          .filter((l) => !l.startsWith(MARK))
          .join('\n'),
      );
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout }));
  });
}

function lastJson(stdout: string): Result | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    const marked = line.startsWith(MARK) ? line.slice(MARK.length) : line;
    try {
      const v: unknown = JSON.parse(marked);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Result;
    } catch {
      // not JSON: progress output
    }
  }
  return undefined;
}

async function runBench(file: string, argv: string[]): Promise<Result> {
  const started = Date.now();
  const viaMain = await runNode([fileURLToPath(import.meta.url), '--child', file, ...argv]);
  let result = viaMain.code === 0 ? lastJson(viaMain.stdout) : undefined;
  if (viaMain.code === 0 && !result) {
    // No main() export: run the file as a script and read the JSON it prints.
    const direct = await runNode([file, ...argv]);
    result = direct.code === 0 ? lastJson(direct.stdout) : undefined;
    if (direct.code !== 0) return { error: `exited with ${direct.code}` };
  }
  if (viaMain.code !== 0) return { error: `exited with ${viaMain.code}` };
  return { ...(result ?? { error: 'printed no JSON result' }), wallSeconds: (Date.now() - started) / 1000 };
}

function table(results: Record<string, Result>): string {
  const rows: [string, string, string][] = [];
  for (const [name, r] of Object.entries(results)) {
    for (const [k, v] of Object.entries(r)) {
      const text =
        typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : JSON.stringify(v);
      rows.push([name, k, text]);
    }
  }
  const w0 = Math.max(9, ...rows.map((r) => r[0].length));
  const w1 = Math.max(6, ...rows.map((r) => r[1].length));
  const head = `${'benchmark'.padEnd(w0)}  ${'metric'.padEnd(w1)}  value`;
  return [
    head,
    '-'.repeat(head.length + 10),
    ...rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`),
  ].join('\n');
}

async function child(file: string, argv: string[]): Promise<void> {
  const mod = (await import(pathToFileURL(file).href)) as { main?: (argv: string[]) => Promise<Result> };
  if (typeof mod.main !== 'function') return;
  const result = await mod.main(argv);
  process.stdout.write(`\n${MARK}${JSON.stringify(result)}\n`);
}

async function parent(argv: string[]): Promise<void> {
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  const passThrough = onlyAt >= 0 ? [...argv.slice(0, onlyAt), ...argv.slice(onlyAt + 2)] : argv;
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
    .sort();
  if (files.length === 0) {
    process.stderr.write(`No benchmark matches${only ? ` "${only}"` : ''} in ${benchDir}\n`);
    process.exitCode = 1;
    return;
  }
  const results: Record<string, Result> = {};
  for (const f of files) {
    const name = basename(f, '.bench.ts');
    process.stderr.write(`\n▶ ${name}\n`);
    results[name] = await runBench(join(benchDir, f), passThrough);
  }
  process.stdout.write(`\n${table(results)}\n`);
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  const out = join(benchDir, 'results', 'latest.json');
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGB: Math.round(totalmem() / 2 ** 30),
  };
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), machine, args: argv, results }, null, 2)}\n`,
  );
  process.stdout.write(`\nResults written to ${out}\n`);
  if (Object.values(results).some((r) => 'error' in r)) process.exitCode = 1;
}

const argv = process.argv.slice(2);
if (argv[0] === '--child' && argv[1]) {
  await child(argv[1], argv.slice(2));
  // A benchmark may leave pools or timers behind; its result is out, so end here.
  process.exit(0);
} else await parent(argv);
