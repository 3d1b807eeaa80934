// Results and stream items are copied by default. A handler marks a value to be transferred
// instead (an audio buffer it no longer needs) with `transfer(value, [value.buffer])`.

const transferLists = new WeakMap<object, Transferable[]>();

/** Marks `value` so that the RPC layer transfers `list` with it when it crosses the boundary. */
export function transfer<T extends object>(value: T, list: Transferable[]): T {
  transferLists.set(value, list);
  return value;
}

/** The transfer list a value was marked with (empty when it was not). */
export function transferListOf(value: unknown): Transferable[] {
  if (typeof value !== 'object' || value === null) return [];
  return transferLists.get(value) ?? [];
}
