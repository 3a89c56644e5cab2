import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPgliteTemplate, buildPgTemplate, templateHash } from './helpers/db-templates.js';

const root = fileURLToPath(new URL('../', import.meta.url));

function newest(dir: string): number {
  let max = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    max = Math.max(max, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return max;
}

/**
 * Once per run, before any test file: the web build and the migrated database templates.
 *
 * Builds the web app once before any test file runs, when it is missing or older than its
 * sources: browser tests and static-serving tests run in parallel processes and must not
 * each start a build into the same web/dist.
 */
export default async function setup(): Promise<void> {
  buildWeb();
  const hash = templateHash();
  await buildPgliteTemplate(hash);
  if (process.env.DATABASE_URL) await buildPgTemplate(process.env.DATABASE_URL, hash);
}

function buildWeb(): void {
  const pages = [`${root}web/dist/index.html`, `${root}web/dist/portal.html`];
  const builtAt = Math.min(...pages.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
  const sourcesAt = Math.max(
    newest(`${root}web/src`),
    statSync(`${root}web/index.html`).mtimeMs,
    statSync(`${root}web/portal.html`).mtimeMs,
  );
  if (builtAt >= sourcesAt) return;
  const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('web build failed (npx vite build --config web/vite.config.ts)');
}
