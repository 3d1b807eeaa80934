import type { ProgressInfo } from '@huggingface/transformers';
import type { LoadProgress, StageName } from '../types.ts';

/**
 * transformers.js reports per-file events (`initiate`, `download`, `progress`, `done`) and an
 * aggregate (`progress_total`). We forward the aggregate while downloading (one bar per stage),
 * plus file-level `loading` once a file is in, and nothing else: per-chunk events would flood
 * the worker boundary for no visible gain.
 */
export function toLoadProgress(stage: StageName, info: ProgressInfo): LoadProgress | null {
  switch (info.status) {
    case 'progress_total':
      return { stage, loaded: info.loaded, total: info.total, status: 'downloading' };
    case 'done':
      return { stage, file: info.file, loaded: 0, total: 0, status: 'loading' };
    case 'ready':
      return { stage, loaded: 0, total: 0, status: 'ready' };
    default:
      return null;
  }
}

/** A transformers.js progress callback that forwards what matters, at most every `intervalMs` for byte counts. */
export function progressForwarder(
  stage: StageName,
  onProgress: ((progress: LoadProgress) => void) | undefined,
  intervalMs = 100,
): (info: ProgressInfo) => void {
  let lastSent = 0;
  return (info) => {
    if (!onProgress) return;
    const progress = toLoadProgress(stage, info);
    if (!progress) return;
    const now = Date.now();
    const isFinalBytes = progress.status === 'downloading' && progress.total > 0 && progress.loaded >= progress.total;
    if (progress.status === 'downloading' && !isFinalBytes && now - lastSent < intervalMs) return;
    lastSent = now;
    onProgress(progress);
  };
}
