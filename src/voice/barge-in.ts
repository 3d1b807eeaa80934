// What the user actually heard of an interrupted reply: the history keeps that and no more, so
// the model does not "remember" saying things the user never heard.
import type { SegmentPlayback } from './player/types.ts';

export interface SpokenSegment {
  segmentId: number;
  text: string;
}

export type SegmentProgress = Pick<SegmentPlayback, 'playedFrames' | 'totalFrames'>;

/**
 * The first `fraction` of `text`, cut back to a word boundary: a word the speaker had not
 * finished is not counted as heard.
 */
export function cutAtWordBoundary(text: string, fraction: number): string {
  if (fraction >= 1) return text;
  if (!(fraction > 0)) return '';
  const cut = Math.floor(text.length * fraction);
  if (cut >= text.length) return text;
  const atBoundary = /\s/u.test(text[cut] ?? '');
  const end = atBoundary ? cut : text.lastIndexOf(' ', cut);
  return end <= 0 ? '' : text.slice(0, end).trimEnd();
}

/**
 * Joins the segments played in full, plus the heard part of the one that was cut. Segments after
 * the first one that did not play to the end were not heard at all.
 */
export function heardText(segments: readonly SpokenSegment[], progress: ReadonlyMap<number, SegmentProgress>): string {
  const parts: string[] = [];
  for (const segment of segments) {
    const played = progress.get(segment.segmentId);
    if (!played || played.playedFrames <= 0 || played.totalFrames <= 0) break;
    if (played.playedFrames >= played.totalFrames) {
      parts.push(segment.text);
      continue;
    }
    const partial = cutAtWordBoundary(segment.text, played.playedFrames / played.totalFrames);
    if (partial !== '') parts.push(partial);
    break;
  }
  return parts.join(' ');
}
