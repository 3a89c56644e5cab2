import { describe, expect, it } from 'vitest';
import { templateKeyFor } from '../../../src/domain/dunning/index.js';

describe('templateKeyFor', () => {
  it('gives a consumer the _b2c twin of a business template', () => {
    expect(templateKeyFor('second_reminder_b2b', 'b2c')).toBe('second_reminder_b2c');
    expect(templateKeyFor('formal_notice_b2b', 'b2c')).toBe('formal_notice_b2c');
  });
  it('leaves business customers and neutral templates alone', () => {
    expect(templateKeyFor('second_reminder_b2b', 'b2b')).toBe('second_reminder_b2b');
    expect(templateKeyFor('first_reminder', 'b2c')).toBe('first_reminder');
    expect(templateKeyFor('formal_notice_b2c', 'b2c')).toBe('formal_notice_b2c');
  });
});
