// Runs before `npm start`: builds the web app once when web/dist is missing, so the quick
// start serves the UI without a separate step. A stale build is rebuilt with `npm run build:web`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Both pages: a build from before the debtor portal existed has no portal.html.
if (existsSync(`${root}web/dist/index.html`) && existsSync(`${root}web/dist/portal.html`)) process.exit(0);
console.log('[relance] building the web app (web/dist is missing)…');
const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status !== 0) {
  console.error('[relance] web build failed; the API still starts, the UI will not be served.');
}
