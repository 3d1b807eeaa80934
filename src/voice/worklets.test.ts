import { describe, expect, it } from 'vitest';
import type { PlaybackReport } from './player/playback-protocol.ts';
import { createProcessor, renderQuantum, send, type ProcessorInstance } from './testing/worklet-harness.ts';

// Paths as variables: the worklets are typechecked with the audio-worklet config, not this one.
const PLAYBACK = new URL('./player/playback.worklet.ts', import.meta.url).href;
const MIC = new URL('./mic/mic-capture.worklet.ts', import.meta.url).href;

function ramp(length: number, from = 1): Float32Array {
  return Float32Array.from({ length }, (_, i) => from + i);
}

function reports(processor: ProcessorInstance): PlaybackReport[] {
  return processor.port.posted as PlaybackReport[];
}

describe('playback worklet', () => {
  it('plays segments back to back with no gap and reports each one', async () => {
    const p = await createProcessor(PLAYBACK, 'hearth-playback');
    send(p, { type: 'enqueue', turnId: 't', segmentId: 0, samples: ramp(200) });
    send(p, { type: 'enqueue', turnId: 't', segmentId: 1, samples: ramp(100, 1000) });
    const rendered = [...renderQuantum(p, undefined, 2)[0]!, ...renderQuantum(p)[0]!, ...renderQuantum(p)[0]!];
    expect(rendered.slice(0, 200)).toEqual([...ramp(200)]);
    expect(rendered.slice(200, 300)).toEqual([...ramp(100, 1000)]);
    expect(rendered.slice(300).every((s) => s === 0)).toBe(true);
    const types = reports(p).filter((r) => r.type !== 'progress').map((r) => r.type);
    expect(types).toEqual(['segment-start', 'segment-end', 'segment-start', 'segment-end', 'drained']);
    const secondStart = reports(p).filter((r) => r.type === 'segment-start')[1];
    expect(secondStart).toMatchObject({ segmentId: 1, frame: 200 });
    expect(reports(p).at(-1)).toMatchObject({ type: 'drained', renderedFrames: 300, frame: 300 });
  });

  it('copies the mono segment to every output channel', async () => {
    const p = await createProcessor(PLAYBACK, 'hearth-playback');
    send(p, { type: 'enqueue', turnId: 't', segmentId: 0, samples: ramp(128) });
    const [left, right] = renderQuantum(p, undefined, 2);
    expect([...right!]).toEqual([...left!]);
  });

  it('stops at once: reports what each segment played, fades the cut, then silence', async () => {
    const p = await createProcessor(PLAYBACK, 'hearth-playback');
    send(p, { type: 'enqueue', turnId: 't', segmentId: 0, samples: new Float32Array(1000).fill(0.5) });
    send(p, { type: 'enqueue', turnId: 't', segmentId: 1, samples: new Float32Array(500).fill(0.5) });
    renderQuantum(p);
    renderQuantum(p);
    send(p, { type: 'stop', requestId: 7 });
    expect(reports(p).at(-1)).toEqual({
      type: 'stopped',
      requestId: 7,
      renderedFrames: 256,
      segments: [
        { turnId: 't', segmentId: 0, playedFrames: 256, totalFrames: 1000 },
        { turnId: 't', segmentId: 1, playedFrames: 0, totalFrames: 500 },
      ],
    });
    const fade = renderQuantum(p)[0]!;
    expect(fade[0]).toBeLessThan(0.5);
    expect(fade[127]).toBe(0);
    for (let i = 1; i < 128; i += 1) expect(fade[i]!).toBeLessThanOrEqual(fade[i - 1]!);
    expect(renderQuantum(p)[0]!.every((s) => s === 0)).toBe(true);
    send(p, { type: 'report', requestId: 8 });
    expect(reports(p).at(-1)).toEqual({ type: 'report', requestId: 8, renderedFrames: 256 });
  });

  it('plays what is queued after a stop', async () => {
    const p = await createProcessor(PLAYBACK, 'hearth-playback');
    send(p, { type: 'stop', requestId: 1 });
    send(p, { type: 'enqueue', turnId: 'next', segmentId: 0, samples: ramp(10) });
    expect([...renderQuantum(p)[0]!.slice(0, 10)]).toEqual([...ramp(10)]);
  });
});

describe('mic capture worklet', () => {
  const options = { processorOptions: { targetRate: 16000, frameSize: 512 } };

  function connect(p: ProcessorInstance): Float32Array[] {
    const frames: Float32Array[] = [];
    send(p, { type: 'connect', port: { postMessage: (frame: Float32Array) => frames.push(frame) } });
    return frames;
  }

  it('posts 512-sample 16 kHz frames from 48 kHz input', async () => {
    const p = await createProcessor(MIC, 'hearth-mic-capture', options, 48000);
    const frames = connect(p);
    for (let q = 0; q < 375; q += 1) renderQuantum(p, new Float32Array(128).fill(0.25)); // 1 s
    expect(frames.length).toBe(31); // 16000 / 512 = 31.25
    expect(frames.every((f) => f.length === 512)).toBe(true);
    expect(frames[10]![100]).toBeCloseTo(0.25, 4);
  });

  it('passes 16 kHz input through', async () => {
    const p = await createProcessor(MIC, 'hearth-mic-capture', options, 16000);
    const frames = connect(p);
    for (let q = 0; q < 4; q += 1) renderQuantum(p, ramp(128, q * 128));
    expect(frames).toHaveLength(1);
    expect([...frames[0]!]).toEqual([...ramp(512, 0)]);
  });

  it('posts nothing while muted or before it is connected', async () => {
    const p = await createProcessor(MIC, 'hearth-mic-capture', options, 16000);
    for (let q = 0; q < 8; q += 1) renderQuantum(p, ramp(128));
    const frames = connect(p);
    send(p, { type: 'mute', muted: true });
    for (let q = 0; q < 8; q += 1) renderQuantum(p, ramp(128));
    expect(frames).toHaveLength(0);
    send(p, { type: 'mute', muted: false });
    for (let q = 0; q < 4; q += 1) renderQuantum(p, ramp(128));
    expect(frames).toHaveLength(1);
  });

  describe('input clean-up', () => {
    const hum = (q: number) => Float32Array.from({ length: 128 }, (_, i) => 0.2 * Math.sin((2 * Math.PI * 50 * (q * 128 + i)) / 16000));
    const level = (frames: Float32Array[]) => Math.sqrt(frames.reduce((sum, f) => sum + f.reduce((s, x) => s + x * x, 0), 0) / (frames.length * 512));
    const at16k = (cleanup: { highPass: boolean; noiseGate: boolean }) => ({ processorOptions: { targetRate: 16000, frameSize: 512, cleanup } });

    it('filters the frames when created with the high-pass on: 50 Hz hum down by over 20 dB', async () => {
      const p = await createProcessor(MIC, 'hearth-mic-capture', at16k({ highPass: true, noiseGate: false }), 16000);
      const frames = connect(p);
      for (let q = 0; q < 250; q += 1) renderQuantum(p, hum(q)); // 2 s
      expect(20 * Math.log10(level(frames.slice(-20)) / (0.2 / Math.SQRT2))).toBeLessThan(-20);
    });

    it('is switched at run time by the cleanup command', async () => {
      const p = await createProcessor(MIC, 'hearth-mic-capture', at16k({ highPass: true, noiseGate: true }), 16000);
      const frames = connect(p);
      for (let q = 0; q < 4; q += 1) renderQuantum(p, ramp(128, q * 128));
      expect([...frames[0]!]).not.toEqual([...ramp(512, 0)]);
      send(p, { type: 'cleanup', highPass: false, noiseGate: false });
      for (let q = 0; q < 4; q += 1) renderQuantum(p, ramp(128, q * 128));
      expect([...frames[1]!]).toEqual([...ramp(512, 0)]);
    });

    it('starts the noise gate afresh on unmute, so the first words are not turned down', async () => {
      const p = await createProcessor(MIC, 'hearth-mic-capture', at16k({ highPass: false, noiseGate: true }), 16000);
      const frames = connect(p);
      const steady = (q: number) => Float32Array.from({ length: 128 }, (_, i) => 0.01 * Math.sin((2 * Math.PI * 440 * (q * 128 + i)) / 16000));
      for (let q = 0; q < 250; q += 1) renderQuantum(p, steady(q)); // 2 s of a steady sound: the gate closes
      expect(level(frames.slice(-4))).toBeLessThan(0.01 / Math.SQRT2 / 5);
      send(p, { type: 'mute', muted: true });
      send(p, { type: 'mute', muted: false });
      const before = frames.length;
      for (let q = 0; q < 4; q += 1) renderQuantum(p, steady(q));
      expect(level(frames.slice(before))).toBeGreaterThan((0.01 / Math.SQRT2) * 0.9);
    });
  });

  it('ignores a quantum without input', async () => {
    const p = await createProcessor(MIC, 'hearth-mic-capture', options, 16000);
    const frames = connect(p);
    expect(p.process([[]], [], {})).toBe(true);
    expect(frames).toHaveLength(0);
  });
});
