// Runs before `npm start`: builds the web app when web/dist is missing or older than its
// sources (a pull that changed the UI), so the quick start serves the current UI without a
// separate step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir) {
  let max = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    max = Math.max(max, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return max;
}

// Both pages: a build from before the debtor portal existed has no portal.html.
const pages = [`${root}web/dist/index.html`, `${root}web/dist/portal.html`];
const builtAt = Math.min(...pages.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
const sourcesAt = Math.max(
  newest(`${root}web/src`),
  statSync(`${root}web/index.html`).mtimeMs,
  statSync(`${root}web/portal.html`).mtimeMs,
);
if (builtAt >= sourcesAt) process.exit(0);
console.log(`[relance] building the web app (web/dist is ${builtAt ? 'older than its sources' : 'missing'})…`);
const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status !== 0) {
  console.error('[relance] web build failed; the API still starts, the UI will not be served.');
}
