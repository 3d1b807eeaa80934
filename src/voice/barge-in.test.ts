import { describe, expect, it } from 'vitest';
import { cutAtWordBoundary, heardText, type SegmentProgress } from './barge-in.ts';

describe('cutAtWordBoundary', () => {
  const text = 'The quick brown fox jumps.';
  it.each([
    [0, ''],
    [-1, ''],
    [Number.NaN, ''],
    [0.05, ''],
    [0.2, 'The'],
    [0.5, 'The quick'],
    [0.62, 'The quick brown'],
    [0.99, 'The quick brown fox'],
    [1, text],
    [1.5, text],
  ])('fraction %d -> %j', (fraction, expected) => {
    expect(cutAtWordBoundary(text, fraction)).toBe(expected);
  });

  it('keeps a word that ends exactly at the cut', () => {
    expect(cutAtWordBoundary('ab cd', 2 / 5)).toBe('ab');
  });
});

describe('heardText', () => {
  const segments = [
    { segmentId: 0, text: 'First sentence.' },
    { segmentId: 1, text: 'Second sentence here.' },
    { segmentId: 2, text: 'Third.' },
  ];
  const progress = (entries: [number, SegmentProgress][]) => new Map(entries);

  it('keeps whole segments and the heard part of the cut one', () => {
    const heard = heardText(segments, progress([
      [0, { playedFrames: 100, totalFrames: 100 }],
      [1, { playedFrames: 50, totalFrames: 100 }],
      [2, { playedFrames: 0, totalFrames: 100 }],
    ]));
    expect(heard).toBe('First sentence. Second');
  });

  it('keeps everything when all played', () => {
    const all = progress(segments.map((s) => [s.segmentId, { playedFrames: 10, totalFrames: 10 }]));
    expect(heardText(segments, all)).toBe('First sentence. Second sentence here. Third.');
  });

  it('is empty when nothing played', () => {
    expect(heardText(segments, progress([]))).toBe('');
    expect(heardText(segments, progress([[0, { playedFrames: 0, totalFrames: 100 }]]))).toBe('');
  });

  it('stops at the first segment that did not play to its end', () => {
    const heard = heardText(segments, progress([
      [0, { playedFrames: 1, totalFrames: 100 }],
      [1, { playedFrames: 100, totalFrames: 100 }],
    ]));
    expect(heard).toBe('');
  });
});
