import { MemoryReplayCache } from '../../src/security/replay-cache';
import { checkInputLimits } from '../../src/security/input-limits';

describe('replay cache', () => {
  it('refuses a jti seen before while it is still valid, and forgets it once expired', () => {
    let now = 1_000_000;
    const cache = new MemoryReplayCache(10, () => now);
    expect(cache.remember('iss\u0000a', now + 300_000)).toBe(true);
    expect(cache.remember('iss\u0000a', now + 300_000)).toBe(false);
    now += 300_001;
    expect(cache.remember('iss\u0000a', now + 300_000)).toBe(true);
  });

  it('stays within its bound: expired entries go first, then the oldest', () => {
    let now = 0;
    const cache = new MemoryReplayCache(3, () => now);
    cache.remember('a', 100);
    cache.remember('b', 10_000);
    cache.remember('c', 10_000);
    now = 200; // a has expired
    expect(cache.remember('d', 10_000)).toBe(true);
    expect(cache.size).toBe(3);
    expect(cache.remember('e', 10_000)).toBe(true); // full of live entries: b (oldest) is dropped
    expect(cache.size).toBe(3);
    expect(cache.remember('c', 10_000)).toBe(false);
    expect(cache.remember('b', 10_000)).toBe(true); // b was forgotten, c was kept
  });
});

describe('input limits', () => {
  const limits = { maxDepth: 64, maxBundleEntries: 3 };
  it('finds the first Bundle with too many entries, wherever it sits', () => {
    const body = { prefetch: { labs: { resourceType: 'Bundle', entry: [{}, {}, {}, {}] } } };
    expect(checkInputLimits(body, limits)).toEqual({ kind: 'bundle', path: 'prefetch.labs', entries: 4 });
    expect(checkInputLimits({ prefetch: { labs: { resourceType: 'Bundle', entry: [{}, {}, {}] } } }, limits)).toBeUndefined();
  });
  it('names the path of the first element that is too deep', () => {
    let v: unknown = 1;
    for (let i = 0; i < 70; i += 1) v = { a: v };
    const found = checkInputLimits(v, limits);
    expect(found?.kind).toBe('depth');
    expect(found?.path.split('.').length).toBe(64);
  });
});
