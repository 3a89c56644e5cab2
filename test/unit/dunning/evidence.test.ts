import { describe, expect, it } from 'vitest';
import {
  appendEvidence,
  canonicalJson,
  type EvidenceEntry,
  GENESIS_HASH,
  verifyChain,
} from '../../../src/domain/dunning/evidence.js';

function chain(n: number, customerId = 'cust-1'): EvidenceEntry[] {
  const out: EvidenceEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      appendEvidence(out[i - 1] ?? null, {
        id: `ev-${i + 1}`,
        customerId,
        at: `2026-06-${String(10 + i).padStart(2, '0')}T07:00:00.000Z`,
        kind: 'message_sent',
        channel: 'email',
        summary: `reminder ${i + 1} sent to claire@client.example`,
        payload: { stepKey: 'first_reminder', items: [{ invoiceNumber: 'F-1', balanceMinor: 1000 + i }] },
        contentSha256: 'a'.repeat(64),
      }),
    );
  }
  return out;
}

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"z":1}]},"b":1}',
    );
  });

  it('refuses non-finite numbers rather than writing null', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
  });
});

describe('evidence hash chain', () => {
  it('links each entry to the previous one from the genesis hash', () => {
    const c = chain(3);
    expect(c[0]?.prevHash).toBe(GENESIS_HASH);
    expect(c[1]?.prevHash).toBe(c[0]?.hash);
    expect(c.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyChain(c)).toEqual({ ok: true, count: 3, head: c[2]?.hash });
  });

  it('accepts an empty file', () => {
    expect(verifyChain([])).toMatchObject({ ok: true, count: 0 });
  });

  it('gives the same hash whatever the key order of the payload', () => {
    const a = appendEvidence(null, {
      id: 'e',
      customerId: 'c',
      at: '2026-01-01T00:00:00.000Z',
      kind: 'note',
      channel: null,
      summary: 's',
      payload: { x: 1, y: 2 },
      contentSha256: null,
    });
    const b = appendEvidence(null, { ...a, payload: { y: 2, x: 1 } });
    expect(b.hash).toBe(a.hash);
  });

  it('detects an edited summary at the edited entry', () => {
    const c = chain(5);
    c[2] = { ...(c[2] as EvidenceEntry), summary: 'nothing was sent' };
    expect(verifyChain(c)).toMatchObject({ ok: false, index: 2, id: 'ev-3', problem: 'hash_mismatch' });
  });

  it('detects an edited payload amount', () => {
    const c = chain(4);
    const e = c[1] as EvidenceEntry;
    c[1] = { ...e, payload: { ...e.payload, items: [{ invoiceNumber: 'F-1', balanceMinor: 1 }] } };
    expect(verifyChain(c)).toMatchObject({ ok: false, index: 1, problem: 'hash_mismatch' });
  });

  it('detects an entry rewritten with a recomputed hash at the next link', () => {
    const c = chain(4);
    const forged = appendEvidence(c[0] ?? null, { ...(c[1] as EvidenceEntry), summary: 'forged' });
    c[1] = forged;
    expect(verifyChain(c)).toMatchObject({ ok: false, index: 2, id: 'ev-3', problem: 'prev_hash_mismatch' });
  });

  it('detects a deleted entry', () => {
    const c = chain(4);
    c.splice(1, 1);
    expect(verifyChain(c)).toMatchObject({ ok: false, index: 1, seq: 3, problem: 'seq_gap' });
  });

  it('detects reordered entries', () => {
    const c = chain(3);
    const [a, b, d] = c as [EvidenceEntry, EvidenceEntry, EvidenceEntry];
    expect(verifyChain([a, d, b])).toMatchObject({ ok: false, index: 1, problem: 'seq_gap' });
  });

  it("detects another customer's entry spliced into the file", () => {
    const c = chain(3);
    const other = chain(3, 'cust-2');
    c[2] = other[2] as EvidenceEntry;
    expect(verifyChain(c)).toMatchObject({ ok: false, index: 2, problem: 'customer_mismatch' });
  });
});
