import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../config/app-config';
import { ApiKeyCache } from './api-key-cache';
import { Principal } from './principal';

describe('ApiKeyCache (without its listener: the fallback)', () => {
  const alice: Principal = { kind: 'merchant', apiKeyId: 'key-a', merchantId: 'm-1' };
  const ops: Principal = { kind: 'ops', apiKeyId: 'key-o' };
  let cache: ApiKeyCache;
  let now = 1000;
  beforeEach(() => {
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    cache = new ApiKeyCache(loadConfig({}));
  });
  afterEach(() => jest.restoreAllMocks());

  it('keeps a key at most 500 ms while revocations are not heard', () => {
    expect(cache.listening).toBe(false);
    cache.set('hash-a', alice, cache.generation);
    expect(cache.get('hash-a')).toBe(alice);
    now += 499;
    expect(cache.get('hash-a')).toBe(alice);
    now += 2;
    expect(cache.get('hash-a')).toBeNull();
  });

  it('forgets a revoked key by its id, and only that one', () => {
    cache.set('hash-a', alice, cache.generation);
    cache.set('hash-o', ops, cache.generation);
    cache.forget('key-a');
    expect(cache.get('hash-a')).toBeNull();
    expect(cache.get('hash-o')).toBe(ops);
  });

  it('does not cache the answer of a lookup that a revocation overtook', () => {
    const before = cache.generation;
    cache.forget('key-x'); // a revocation heard while the lookup was in flight
    cache.set('hash-a', alice, before);
    expect(cache.get('hash-a')).toBeNull();
    cache.set('hash-a', alice, cache.generation);
    expect(cache.get('hash-a')).toBe(alice);
  });
});
