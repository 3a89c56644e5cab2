import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { idempotencyKey } from '../../../src/domain/dunning/idempotency.js';

// The key is stored in every outbox row and compared at claim time: these values were
// produced by the first implementation and must never change.
describe('idempotencyKey', () => {
  it('keeps the stored key value for a set of instalments listed in any order', () => {
    const key = idempotencyKey({
      customerId: 'c0a8012e-5b7f-4c1d-9e2a-3f4b5c6d7e8f',
      policyKey: 'FR-B2B-standard',
      stepKey: 'first_reminder',
      unitIds: ['inv-2', 'inv-1#2', 'inv-1#1', 'inv-2'],
    });
    expect(key).toBe('aa2e4b220505f2ae632a1bb00c6629923da03f8efbe82d7f2694e7e95b4341a2');
  });

  it('keeps the stored key value for one invoice, escaping quotes and accents as JSON does', () => {
    const key = idempotencyKey({
      customerId: 'cust-é"\\',
      policyKey: 'FR-B2B-standard',
      stepKey: 'courtesy',
      unitIds: ['inv-1'],
    });
    expect(key).toBe('64338688a782a62a3b0b8e958051cd6a4dfe8164a263a86a9653d4d3b95f2a6a');
  });

  it('keeps the stored key value for an action with no items', () => {
    const key = idempotencyKey({
      customerId: 'cust-1',
      policyKey: 'FR-conciliatory',
      stepKey: 'escalation',
      unitIds: [],
    });
    expect(key).toBe('921c8dd9f785b67836e6dce11c0600cabf7b89612d0fad5db24c97b7122cf72f');
  });

  it('is the SHA-256 of the JSON of its parts, for plain and unusual ids alike', () => {
    const odd = [
      '',
      'a b',
      'é',
      '"',
      '\\',
      '\n',
      '\u0001',
      '\u2028',
      '\ud800',
      '😀',
      'inv/1',
      'x#2',
      'A-Z_09',
    ];
    for (const a of odd)
      for (const b of odd) {
        const parts = { customerId: a, policyKey: b, stepKey: `step_${b}`, unitIds: [b, a, `${a}#1`] };
        const json = JSON.stringify([
          'dunning/v1',
          parts.customerId,
          parts.policyKey,
          parts.stepKey,
          [...new Set(parts.unitIds)].sort(),
        ]);
        expect(idempotencyKey(parts)).toBe(createHash('sha256').update(json).digest('hex'));
      }
  });

  it('gives the same key whatever the order and repetition of the items', () => {
    const parts = { customerId: 'cust-1', policyKey: 'FR-B2B-standard', stepKey: 'formal_notice' };
    expect(idempotencyKey({ ...parts, unitIds: ['b', 'a', 'b'] })).toBe(
      idempotencyKey({ ...parts, unitIds: ['a', 'b'] }),
    );
  });
});
