import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { entryHash, GENESIS_HASH, TimelineEntry, verifyChain } from './hash-chain';

function chain(n: number): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const base = {
      caseId: '6f1c1f3e-7d1b-4a40-9d8e-3c3b7d1f0a11',
      seq,
      at: new Date(Date.UTC(2026, 10, 2, 10, 0, seq)).toISOString(),
      type: seq === 1 ? 'CASE_OPENED' : 'NOTE',
      actor: { kind: 'merchant', id: 'm-1' },
      fromState: seq === 1 ? null : 'awaiting_evidence',
      toState: 'awaiting_evidence',
      payload: { text: `note ${seq}`, nested: { b: 1, a: [2, { d: null, c: 'x' }] } },
      prevHash: prev,
    };
    const hash = entryHash(base);
    entries.push({ ...base, hash });
    prev = hash;
  }
  return entries;
}

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys recursively and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'é' } })).toBe(
      '{"a":{"c":"é","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('matches the RFC 8785 number and literal forms used by JSON', () => {
    expect(canonicalJson([1e21, 0.000001, -0, true, null, 'a"b'])).toBe(
      '[1e+21,0.000001,0,true,null,"a\\"b"]',
    );
  });

  it('is independent of key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
        expect(JSON.parse(canonicalJson(record))).toEqual(JSON.parse(JSON.stringify(record)));
      }),
    );
  });
});

describe('hash chain', () => {
  it('verifies an intact chain and reports its head', () => {
    const entries = chain(5);
    expect(verifyChain(entries)).toEqual({ valid: true, head: entries[4].hash });
    expect(verifyChain([])).toEqual({ valid: true, head: GENESIS_HASH });
  });

  it('hashes exactly the contract fields: 64 hex chars, first prevHash is 64 zeros', () => {
    const [first] = chain(1);
    expect(first.prevHash).toBe('0'.repeat(64));
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['an edited payload', (e: TimelineEntry[]) => (e[2].payload = { text: 'forged' })],
    ['an edited state', (e: TimelineEntry[]) => (e[1].toState = 'closed')],
    ['an edited time', (e: TimelineEntry[]) => (e[3].at = '2026-11-02T10:00:59.000Z')],
    ['a removed entry', (e: TimelineEntry[]) => e.splice(2, 1)],
    ['reordered entries', (e: TimelineEntry[]) => ([e[1], e[2]] = [e[2], e[1]])],
    [
      'a rehashed edit',
      (e: TimelineEntry[]) => {
        e[1].payload = { text: 'forged' };
        e[1].hash = entryHash(e[1]);
      },
    ],
  ])('detects %s', (_name, tamper) => {
    const entries = chain(5);
    tamper(entries);
    expect(verifyChain(entries).valid).toBe(false);
  });
});
