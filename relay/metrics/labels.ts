import type { ModelSet } from '../../src/protocol/model-set.ts';
import { FIXTURE_ALTERNATIVE_SETS, FIXTURE_SET, HUB_SETS } from '../../src/models/catalogue.ts';

// Prometheus label values must come from a known, small set: every distinct value is a new
// time series held by the relay and by Prometheus. Devices send model ids of their own choosing
// (unauthenticated, up to 200 characters), so ids outside the known set are reported as `other`.

export const OTHER = 'other';
/** A stage with no engine behind it (endpointing, playout, the end-of-turn model): no model, no backend. */
export const NONE = '';
/** The backends the metrics protocol accepts (src/protocol/metrics.ts). */
export const BACKENDS = ['webgpu', 'wasm'] as const;

/**
 * The model ids a label may name: every set in the catalogue (hub sets and the fixtures) plus the
 * sets this relay serves (a mirror's `model-set.json`).
 */
export function knownModelIds(served: readonly ModelSet[] = []): Set<string> {
  const ids = new Set<string>();
  for (const set of [...HUB_SETS, FIXTURE_SET, ...FIXTURE_ALTERNATIVE_SETS, ...served]) {
    for (const id of [set.asr, set.asrWebgpu, set.llm, set.tts, set.turn]) if (id) ids.add(id);
  }
  return ids;
}

/** Maps a device-sent value to itself when known, to `other` otherwise, and a missing one to ''. */
export class BoundedLabel {
  readonly #known: ReadonlySet<string>;

  constructor(known: Iterable<string>) {
    this.#known = new Set(known);
  }

  of(value: string | null | undefined): string {
    if (value === null || value === undefined || value === '') return NONE;
    return this.#known.has(value) ? value : OTHER;
  }

  /** Every value `of` can return. */
  values(): string[] {
    return [NONE, ...this.#known, OTHER];
  }
}
