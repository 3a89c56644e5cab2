import { resolve } from 'node:path';
import type { Config } from '../config.js';

/** Where the data lives, for people: never the password of a DATABASE_URL. */
export function describeDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): string {
  if (!config.DATABASE_URL) return `embedded PGlite database in ${resolve(config.DATA_DIR)}`;
  try {
    const u = new URL(config.DATABASE_URL);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `PostgreSQL ${user}${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname || '/'}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}
