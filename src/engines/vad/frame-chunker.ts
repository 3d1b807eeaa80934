/**
 * Re-cuts incoming audio into frames of exactly `frameSize` samples. Silero v5 needs 512-sample
 * frames at 16 kHz; a mic worklet may post other sizes (128-sample render quanta, say).
 */
export class FrameChunker {
  private readonly frameSize: number;
  private pending: Float32Array = new Float32Array(0);

  constructor(frameSize: number) {
    this.frameSize = frameSize;
  }

  push(samples: Float32Array): Float32Array[] {
    // A posted frame is the receiver's own copy (cloned or transferred): no need to copy again.
    if (this.pending.length === 0 && samples.length === this.frameSize) return [samples];
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    const frames: Float32Array[] = [];
    let offset = 0;
    for (; offset + this.frameSize <= joined.length; offset += this.frameSize) {
      frames.push(joined.slice(offset, offset + this.frameSize));
    }
    this.pending = joined.slice(offset);
    return frames;
  }

  reset(): void {
    this.pending = new Float32Array(0);
  }
}

/** The samples in a frame message: a bare Float32Array, or an object carrying one. */
export function frameSamples(data: unknown): Float32Array | null {
  if (data instanceof Float32Array) return data;
  if (typeof data === 'object' && data !== null) {
    for (const key of ['samples', 'frame', 'audio'] as const) {
      const value = (data as Record<string, unknown>)[key];
      if (value instanceof Float32Array) return value;
    }
  }
  return null;
}
