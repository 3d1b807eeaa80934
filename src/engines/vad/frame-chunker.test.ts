import { describe, expect, it } from 'vitest';
import { FrameChunker, frameSamples } from './frame-chunker.ts';

describe('FrameChunker', () => {
  it('passes 512-sample frames straight through', () => {
    const chunker = new FrameChunker(512);
    const frame = new Float32Array(512).fill(0.1);
    expect(chunker.push(frame)).toEqual([frame]);
  });

  it('re-cuts 128-sample render quanta into 512-sample frames, in order', () => {
    const chunker = new FrameChunker(512);
    const frames: Float32Array[] = [];
    for (let i = 0; i < 9; i++) frames.push(...chunker.push(new Float32Array(128).fill(i)));
    expect(frames).toHaveLength(2);
    expect(Array.from(frames[0]!.subarray(0, 1))).toEqual([0]);
    expect(frames[0]![511]).toBe(3);
    expect(frames[1]![0]).toBe(4);
    expect(frames[1]![511]).toBe(7);
  });

  it('forgets a partial frame on reset', () => {
    const chunker = new FrameChunker(512);
    chunker.push(new Float32Array(300));
    chunker.reset();
    expect(chunker.push(new Float32Array(300))).toHaveLength(0);
  });
});

describe('frameSamples', () => {
  it('accepts a bare Float32Array or an object carrying one', () => {
    const samples = new Float32Array(4);
    expect(frameSamples(samples)).toBe(samples);
    expect(frameSamples({ type: 'frame', samples })).toBe(samples);
    expect(frameSamples({ frame: samples })).toBe(samples);
    expect(frameSamples({ type: 'level', value: 0.3 })).toBeNull();
    expect(frameSamples('hello')).toBeNull();
  });
});
