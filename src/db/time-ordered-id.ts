import { randomUUID } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter, then random bits.
 * Rows keyed by it are inserted at the right edge of their btree instead of on a random page,
 * which is what keeps a dunning run's hundreds of thousands of outbox inserts from dirtying
 * (and logging a full-page image of) a different index page each. The counter keeps ids made
 * in the same millisecond in creation order; it borrows the next millisecond when it runs out.
 */
export function timeOrderedId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  const ms = lastMs.toString(16).padStart(12, '0');
  const seq = counter.toString(16).padStart(3, '0');
  // randomUUID's last 17 characters: the variant nibble (8–b) and 60 random bits.
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${seq}-${randomUUID().slice(19)}`;
}
