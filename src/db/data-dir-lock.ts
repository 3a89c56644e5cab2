import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../errors.js';

interface LockInfo {
  pid: number;
  role: 'server' | 'cli' | 'worker';
  url?: string;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process per data directory: a second process opening the same files
 * would corrupt them. Each process that opens ./data takes this lock first; a second one
 * gets a clear message naming who holds it, never a cryptic storage error.
 */
export function lockDataDir(dataDir: string, role: LockInfo['role'], url?: string): () => void {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'relance.lock');
  if (existsSync(file)) {
    let info: LockInfo | undefined;
    try {
      info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    } catch {
      info = undefined;
    }
    if (info && info.pid !== process.pid && alive(info.pid)) {
      const who =
        info.role === 'server'
          ? `a Relance server${info.url ? ` at ${info.url}` : ''}`
          : `another relance ${info.role} process`;
      throw new AppError(
        'DATA_DIR_LOCKED',
        `The embedded database in ${dir} is in use by ${who} (pid ${info.pid}, since ${info.startedAt}). ` +
          (info.role === 'server'
            ? 'Use the HTTP API of that server, stop it first, or set DATABASE_URL to a PostgreSQL server to share data between processes.'
            : 'Wait for it to finish, or set DATABASE_URL to a PostgreSQL server to run processes side by side.'),
      );
    }
  }
  const info: LockInfo = {
    pid: process.pid,
    role,
    startedAt: new Date().toISOString(),
    ...(url ? { url } : {}),
  };
  writeFileSync(file, JSON.stringify(info));
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
      if (current.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return release;
}

/** Record the URL once the server listens, so a CLI run can point the user at it. */
export function updateDataDirLock(dataDir: string, url: string): void {
  const file = join(resolve(dataDir), 'relance.lock');
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    if (info.pid === process.pid) writeFileSync(file, JSON.stringify({ ...info, url }));
  } catch {
    // no lock: PostgreSQL mode
  }
}
