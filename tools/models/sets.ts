// The model sets `npm run models:download -- <set>` knows by name. A set is what the relay reads
// from a mirror's model-set.json, so the names stay few and each maps to a catalogue entry.
import { HUB_DEFAULT_SET, HUB_SMALL_SET } from '../../src/models/catalogue.ts';
import type { ModelSet } from '../../src/protocol/model-set.ts';

export const KNOWN_SETS: Readonly<Record<string, ModelSet>> = {
  default: HUB_DEFAULT_SET,
  small: HUB_SMALL_SET,
};

export function findSet(name: string): ModelSet {
  const set = Object.hasOwn(KNOWN_SETS, name) ? KNOWN_SETS[name] : undefined;
  if (!set) {
    const known = Object.entries(KNOWN_SETS).map(([key, value]) => `${key} (${value.label})`);
    throw new Error(`unknown model set "${name}"; known sets: ${known.join(', ')}`);
  }
  return set;
}
