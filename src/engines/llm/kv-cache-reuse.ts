// Reusing an LLM's KV cache from one turn to the next.
//
// A chat prompt is the whole history, and the next turn's prompt normally starts with everything the
// previous turn already encoded (its prompt and its reply). transformers.js generate() accepts that
// work back as `past_key_values` and then encodes only the input ids past the cache's length. That is
// only correct if the cache really holds those ids, so the keeper remembers the exact ids the cache
// covers and compares them with the new prompt's ids, token by token, before handing the cache out.
import { DynamicCache, type Tensor } from '@huggingface/transformers';

/** How a turn's prompt was fed: all of it, or only the part past a reused cache. */
export interface PrefillStats {
  /** Tokens in the prompt (the chat template applied to the whole history). */
  promptTokens: number;
  /** Of those, how many came from the previous turn's cache instead of being encoded again. */
  cachedTokens: number;
}

/** What to pass to generate(): a cache covering the first `cachedTokens` prompt ids, or none. */
export interface CachePlan {
  cache: DynamicCache | null;
  cachedTokens: number;
}

export function commonPrefixLength(a: readonly bigint[], b: readonly bigint[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function entries(cache: DynamicCache): Array<[string, Tensor]> {
  // A DynamicCache's own properties are its tensors (its methods live on the prototype).
  return Object.entries<Tensor>(cache);
}

/** Frees every tensor of a cache: GPU buffers explicitly, CPU ones by letting go of their data. */
export async function disposeCache(cache: DynamicCache): Promise<void> {
  // DynamicCache.dispose() frees only GPU buffers; the CPU tensors' data is released here too.
  await cache.dispose();
  for (const [, tensor] of entries(cache)) {
    if (tensor.location !== 'gpu-buffer') tensor.dispose();
  }
}

/**
 * A copy of the cache cut to its first `length` positions, or null where that is not a plain slice:
 * only a standard attention cache (`past_key_values.N.key|value`, [batch, heads, positions, dim]) whose
 * tensors are on the CPU. Recurrent or convolution states (Mamba, LFM2, Qwen3.5) summarise every
 * position and cannot be cut; GPU buffers cannot be sliced without a download.
 */
export function trimCache(cache: DynamicCache, length: number): DynamicCache | null {
  const all = entries(cache);
  if (all.length === 0) return null;
  for (const [name, tensor] of all) {
    if (!name.startsWith('past_key_values.') || tensor.location !== 'cpu' || tensor.dims.length !== 4) return null;
    if (tensor.dims[2]! < length) return null;
  }
  return new DynamicCache(Object.fromEntries(all.map(([name, t]) => [name, t.slice(null, null, [0, length], null)])));
}

/**
 * Holds the cache left by the last completed generation and the ids it covers. Generation is one at
 * a time, so there is at most one cache, and whoever takes it owns it: generate() updates a cache
 * passed to it in place, so a taken cache is never also kept here.
 */
export class KvCacheKeeper {
  private kept: { cache: DynamicCache; ids: bigint[] } | null = null;

  /** Positions currently kept (0 when none). */
  get keptTokens(): number {
    return this.kept?.ids.length ?? 0;
  }

  /**
   * The cache to feed `promptIds` with. Reuses the kept cache where its ids are a prefix of the
   * prompt; where they agree only up to some point (an edited or truncated reply, a reply the template
   * renders differently from the generated tokens) cuts it to that point if it can; otherwise drops it.
   */
  async take(promptIds: readonly bigint[]): Promise<CachePlan> {
    const kept = this.kept;
    this.kept = null;
    if (!kept) return { cache: null, cachedTokens: 0 };
    // At least one prompt token must still be fed: the model's output for it is the first reply token.
    const usable = Math.min(commonPrefixLength(kept.ids, promptIds), promptIds.length - 1);
    if (usable === kept.ids.length) return { cache: kept.cache, cachedTokens: usable };
    const trimmed = usable > 0 ? trimCache(kept.cache, usable) : null;
    await disposeCache(kept.cache);
    return trimmed ? { cache: trimmed, cachedTokens: usable } : { cache: null, cachedTokens: 0 };
  }

  /**
   * Keeps the cache a generation returned. `sequence` is the prompt plus the generated ids; the cache
   * covers every id fed to the model, which is all of them but the last sampled one (generation stops
   * before feeding it), so its own length says how many.
   */
  async keep(cache: DynamicCache, sequence: readonly bigint[]): Promise<void> {
    await this.drop();
    const length = entries(cache).length > 0 ? cache.get_seq_length() : 0;
    if (length === 0 || length > sequence.length || !entries(cache).every(([name]) => name.startsWith('past_key_values.'))) {
      // Nothing to reuse, or a cache shape this keeper cannot vouch for (recurrent states): start fresh next time.
      await disposeCache(cache);
      return;
    }
    this.kept = { cache, ids: sequence.slice(0, length) };
  }

  async drop(): Promise<void> {
    const kept = this.kept;
    this.kept = null;
    if (kept) await disposeCache(kept.cache);
  }
}
