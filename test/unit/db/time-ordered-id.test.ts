import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../../src/db/time-ordered-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a version 7, RFC 9562 variant UUID carrying the millisecond it was made in', () => {
    const ms = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
    const id = timeOrderedId(ms);
    expect(id).toMatch(V7);
    expect(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(ms);
  });

  it('sorts in creation order, also within one millisecond', () => {
    const ms = Date.UTC(2031, 5, 1);
    const ids = Array.from({ length: 3000 }, () => timeOrderedId(ms));
    expect(new Set(ids).size).toBe(3000);
    expect([...ids].sort()).toEqual(ids);
  });

  it('borrows the next millisecond when 4,096 ids were made in one, and never goes back', () => {
    const ms = Date.UTC(2032, 0, 1);
    const ids = Array.from({ length: 5000 }, () => timeOrderedId(ms));
    expect([...ids].sort()).toEqual(ids);
    const last = ids[ids.length - 1] ?? '';
    expect(Number.parseInt(last.replaceAll('-', '').slice(0, 12), 16)).toBe(ms + 1);
    // A clock that steps back does not produce a smaller id.
    const after = timeOrderedId(ms - 10_000);
    expect(after > last).toBe(true);
  });
});
