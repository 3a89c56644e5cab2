import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * The public sample files in ../shared/data (beside the repository, read-only). CI always has
 * them; a clone elsewhere may not. Tests that read them go through describeShared: without
 * the folder they are skipped with a printed notice, except in CI (CI set), where the
 * absence is a failure — a CI that silently skipped them would prove nothing. Each feature
 * also keeps fixtures of its own in test/fixtures, tested either way.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const sharedDataDir = resolve(repoRoot, '../shared/data');
export const hasSharedData = existsSync(sharedDataDir);

export function sharedData(...parts: string[]): string {
  return join(sharedDataDir, ...parts);
}

const noticed = new Set<string>();

export function describeShared(name: string, fn: () => void): void {
  if (hasSharedData) {
    describe(name, fn);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it('needs the sample files in ../shared/data', () => {
        throw new Error(`${sharedDataDir} is missing: CI must provide ../shared beside the repository`);
      });
    });
    return;
  }
  if (!noticed.has(name)) {
    noticed.add(name);
    process.stderr.write(
      `[relance tests] skipped "${name}": ${sharedDataDir} is absent (set CI to make this fail)\n`,
    );
  }
  describe.skip(name, fn);
}

/**
 * A folder of ../shared/data, or undefined when it is absent outside CI (the caller skips its
 * tests; a notice is printed). In CI the absence throws: it is a failure there.
 */
export function sharedSamples(sub: string): string | undefined {
  const dir = join(sharedDataDir, sub);
  if (existsSync(dir)) return dir;
  if (process.env.CI) throw new Error(`../shared/data/${sub} is missing (CI is set, so this is a failure)`);
  process.stderr.write(
    `[relance tests] ../shared/data/${sub} is absent: the tests on its samples are skipped.\n`,
  );
  return undefined;
}
