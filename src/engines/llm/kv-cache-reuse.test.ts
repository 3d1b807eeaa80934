import { DynamicCache, Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { commonPrefixLength, KvCacheKeeper, trimCache } from './kv-cache-reuse.ts';

/** A cache of `length` positions whose values say their position, [1, 1, length, 2]. */
function cacheOf(length: number): DynamicCache {
  const data = Float32Array.from({ length: length * 2 }, (_, i) => Math.floor(i / 2));
  return new DynamicCache({
    'past_key_values.0.key': new Tensor('float32', data, [1, 1, length, 2]),
    'past_key_values.0.value': new Tensor('float32', data.slice(), [1, 1, length, 2]),
  });
}

const ids = (...values: number[]): bigint[] => values.map(BigInt);

describe('kv cache reuse', () => {
  it('commonPrefixLength', () => {
    expect(commonPrefixLength(ids(1, 2, 3), ids(1, 2, 4))).toBe(2);
    expect(commonPrefixLength(ids(1, 2), ids(1, 2, 3))).toBe(2);
    expect(commonPrefixLength(ids(), ids(1))).toBe(0);
  });

  it('trims a CPU attention cache on the sequence axis, and refuses recurrent states', () => {
    const trimmed = trimCache(cacheOf(5), 3)!;
    expect(trimmed.get_seq_length()).toBe(3);
    expect(Array.from(trimmed['past_key_values.0.key']!.data as Float32Array)).toEqual([0, 0, 1, 1, 2, 2]);
    const hybrid = new DynamicCache({ 'past_conv.0': new Tensor('float32', new Float32Array(4), [1, 4]) });
    expect(trimCache(hybrid, 1)).toBeNull();
  });

  it('hands out the kept cache for a prompt it prefixes, cuts it for a partial match, drops it otherwise', async () => {
    const keeper = new KvCacheKeeper();
    // Prompt 1,2,3 generated 4,5: the cache covers 1..4 (5 was sampled last and never fed).
    const first = cacheOf(4);
    await keeper.keep(first, ids(1, 2, 3, 4, 5));
    expect(keeper.keptTokens).toBe(4);
    const exact = await keeper.take(ids(1, 2, 3, 4, 5, 6, 7));
    expect(exact).toEqual({ cache: first, cachedTokens: 4 });
    expect(keeper.keptTokens).toBe(0);

    await keeper.keep(cacheOf(4), ids(1, 2, 3, 4, 5));
    const partial = await keeper.take(ids(1, 2, 9, 9));
    expect(partial.cachedTokens).toBe(2);
    expect(partial.cache!.get_seq_length()).toBe(2);

    await keeper.keep(cacheOf(4), ids(1, 2, 3, 4, 5));
    expect(await keeper.take(ids(7, 8, 9))).toEqual({ cache: null, cachedTokens: 0 });

    // The same prompt again: one token must still be fed to get the first reply token.
    await keeper.keep(cacheOf(4), ids(1, 2, 3, 4, 5));
    const same = await keeper.take(ids(1, 2, 3, 4));
    expect(same.cachedTokens).toBe(3);
    expect(same.cache!.get_seq_length()).toBe(3);
  });
});
