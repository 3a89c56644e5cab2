import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A folder of ../shared/data (the samples next to the repository). Absent: the tests that
 * need it are skipped with a printed notice, unless CI is set, where its absence is a failure.
 */
export function sharedData(sub: string): string | undefined {
  const dir = join(repoRoot, '../shared/data', sub);
  if (existsSync(dir)) return dir;
  if (process.env.CI) throw new Error(`../shared/data/${sub} is missing (CI is set, so this is a failure)`);
  console.warn(`[relance tests] ../shared/data/${sub} is absent: the tests on its samples are skipped.`);
  return undefined;
}
