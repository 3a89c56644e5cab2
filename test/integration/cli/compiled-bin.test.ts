import { spawnSync } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBundle, cliBundleIsFresh, ensureCliBuild } from '../../../scripts/build-cli.mjs';
import { childEnv, repoRoot } from './spawn.js';

// `npx relance` runs bin/relance.js: compiled JavaScript, no TypeScript loader in the path
// (a loader cost 2–5 s per command). Timings are in docs/cli.md, not asserted here.
describe('the compiled relance bin', () => {
  it('rebuilds the bundle when it is older than the sources', async () => {
    await ensureCliBuild();
    utimesSync(cliBundle, new Date(0), new Date(0));
    expect(cliBundleIsFresh()).toBe(false);
    await ensureCliBuild();
    expect(cliBundleIsFresh()).toBe(true);
    expect(statSync(cliBundle).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('answers --help without loading tsx or any .ts file', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        join(repoRoot, 'test/fixtures/cli/forbid-tsx.mjs'),
        join(repoRoot, 'bin/relance.js'),
        '--help',
      ],
      { cwd: repoRoot, env: childEnv({}), encoding: 'utf8' },
    );
    expect(r.stderr).not.toContain('the command path loaded');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: relance');
    expect(r.stdout).toContain('settings');
  });
});
