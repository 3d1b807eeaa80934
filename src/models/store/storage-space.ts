/** What `navigator.storage.estimate()` answers (both may be missing in some browsers). */
export interface StorageEstimateLike {
  usage?: number;
  quota?: number;
}

/**
 * Room kept free beyond the download itself: the runtime compiles kernels, IndexedDB grows with
 * conversations, and browsers start evicting before the quota is reached.
 */
export const SPARE_BYTES = 50 * 1024 * 1024;

export type SpaceVerdict = { ok: true; freeBytes: number | null } | { ok: false; freeBytes: number; neededBytes: number };

/** Is there room for `neededBytes` more? Unknown quota (no estimate API) is taken as yes. */
export function checkSpace(estimate: StorageEstimateLike | null, neededBytes: number): SpaceVerdict {
  if (!estimate || typeof estimate.quota !== 'number') return { ok: true, freeBytes: null };
  const freeBytes = Math.max(0, estimate.quota - (estimate.usage ?? 0));
  if (neededBytes === 0 || freeBytes >= neededBytes + SPARE_BYTES) return { ok: true, freeBytes };
  return { ok: false, freeBytes, neededBytes: neededBytes + SPARE_BYTES };
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `1.5 MB`, `312 MB`, `2.1 GB` (decimal units, as operating systems show free space). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function storageShortMessage(verdict: { freeBytes: number; neededBytes: number }): string {
  return `Not enough storage for the models: they need ${formatBytes(verdict.neededBytes)}, but only ${formatBytes(verdict.freeBytes)} is free on this device. Free up space (or delete models you no longer use under Models), then retry. Nothing was downloaded.`;
}
