// Relay event ids are decimal strings of a PostgreSQL bigint: compare them as numbers without
// losing precision (they may pass 2^53), i.e. by length, then digit by digit.

export function compareEventIds(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/u, '');
  const y = b.replace(/^0+(?=\d)/u, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether `id` comes after `last` (every id does when nothing was seen yet). */
export function isNewer(id: string, last: string | null): boolean {
  return last === null || compareEventIds(id, last) > 0;
}
