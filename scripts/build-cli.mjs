// Compiles the `relance` command to one JavaScript file (dist/cli/relance.mjs) so the command
// path loads no TypeScript runtime: tsx transpiling ~400 files cost 2–5 s per command, the
// bundle loads in well under a second. Runs on install (`prepare`) and, from bin/relance.js,
// whenever a source file is newer than the bundle (a pull, a local edit), so the bin never
// runs stale code. Dependencies stay external: node_modules is loaded as usual.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const cliBundle = join(root, 'dist/cli/relance.mjs');

function newestSource(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) max = Math.max(max, newestSource(p));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

export function cliBundleIsFresh() {
  if (!existsSync(cliBundle)) return false;
  return statSync(cliBundle).mtimeMs >= newestSource(join(root, 'src'));
}

/** Build the bundle when missing or stale; concurrent callers each write a temp file and rename. */
export async function ensureCliBuild() {
  if (cliBundleIsFresh()) return cliBundle;
  const { build } = await import('esbuild');
  mkdirSync(dirname(cliBundle), { recursive: true });
  const tmp = `${cliBundle}.${process.pid}.tmp.mjs`;
  await build({
    entryPoints: [join(root, 'src/cli/index.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
  });
  renameSync(tmp, cliBundle);
  return cliBundle;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  await ensureCliBuild();
  console.log(`[relance] command line compiled to dist/cli/relance.mjs (${Date.now() - started} ms)`);
}
