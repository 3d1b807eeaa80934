import { FrameProcessor } from '@ricky0123/vad-web/dist/frame-processor.js';
import { describe, expect, it } from 'vitest';
import type { VadEvent } from '../types.ts';
import { SpeechSegmentTracker } from './speech-segment.ts';
import { DEFAULT_VAD_PARAMS } from './vad-params.ts';

const FRAME = 512;
const MS_PER_FRAME = 32;

/**
 * vad-web's real frame processor with a scripted "model": each frame's probability is the next
 * in the script, and each frame arrives 32 ms after the previous one (the clock is simulated).
 * Returns the events the engine would emit, in order.
 */
async function run(
  probabilities: number[],
  progressIntervalMs = 1000,
  arrival = (frame: number): number => frame * MS_PER_FRAME,
): Promise<VadEvent[]> {
  const script = [...probabilities];
  const processor = new FrameProcessor(
    async () => ({ isSpeech: script.shift() ?? 0, notSpeech: 0 }),
    () => {},
    { ...DEFAULT_VAD_PARAMS, submitUserSpeechOnPause: false },
    MS_PER_FRAME,
  );
  processor.resume();
  const tracker = new SpeechSegmentTracker({
    threshold: () => DEFAULT_VAD_PARAMS.positiveSpeechThreshold,
    shortPauseMs: () => DEFAULT_VAD_PARAMS.shortPauseMs,
    msPerFrame: MS_PER_FRAME,
    progressIntervalMs,
  });
  const events: VadEvent[] = [];
  for (let i = 0; i < probabilities.length; i += 1) {
    const frameAt = arrival(i);
    // The frame's first sample holds its index, so the audio handed out can be checked.
    const frame = new Float32Array(FRAME).fill(i);
    await processor.process(frame, (event) => {
      const ours = tracker.toVadEvent(event, frameAt, frameAt + 1);
      if (ours) events.push(ours);
    });
    const pause = tracker.pause(processor, frameAt, frameAt + 1);
    if (pause) events.push(pause);
    const progress = tracker.progress(processor, frameAt + 1);
    if (progress) events.push(progress);
  }
  return events;
}

const silence = (frames: number): number[] => new Array<number>(frames).fill(0.05);
const speech = (frames: number): number[] => new Array<number>(frames).fill(0.9);

describe('SpeechSegmentTracker on vad-web\'s frame processor', () => {
  it('reports the utterance so far about once per interval, only while speech goes on', async () => {
    // 20 silent frames, 80 speech frames (2.56 s), then silence well past the 600 ms redemption.
    const events = await run([...silence(20), ...speech(80), ...silence(40)]);
    expect(events.map((e) => e.type)).toEqual([
      'speech-start',
      'speech-confirmed',
      'speech-progress',
      'speech-progress',
      'speech-pause',
      'speech-end',
    ]);
    const confirmed = events[1] as Extract<VadEvent, { type: 'speech-confirmed' }>;
    const progress = events.filter((e): e is Extract<VadEvent, { type: 'speech-progress' }> => e.type === 'speech-progress');
    // The first comes one interval after confirmation, the next one interval after that.
    expect(progress[0]!.at - confirmed.at).toBeGreaterThanOrEqual(1000);
    expect(progress[0]!.at - confirmed.at).toBeLessThan(1000 + MS_PER_FRAME);
    expect(progress[1]!.at - progress[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(progress[1]!.at - progress[0]!.at).toBeLessThan(1000 + MS_PER_FRAME);
    // The audio so far, with the pre-speech padding (300 ms = 9 frames) before the first speech frame (20).
    const audio = progress[0]!.audio;
    expect(audio.length % FRAME).toBe(0);
    expect(audio[0]).toBe(20 - 9);
    expect(audio[audio.length - 1]).toBe((progress[0]!.at - 1) / MS_PER_FRAME);
    // The final segment starts the same way and is longer than any partial.
    const end = events.at(-1) as Extract<VadEvent, { type: 'speech-end' }>;
    expect(end.audio[0]).toBe(20 - 9);
    expect(end.audio.length).toBeGreaterThan(progress[1]!.audio.length);
  });

  it('emits no progress for speech shorter than the interval, nor for a misfire', async () => {
    const short = await run([...silence(5), ...speech(20), ...silence(30)]);
    expect(short.map((e) => e.type)).toEqual(['speech-start', 'speech-confirmed', 'speech-pause', 'speech-end']);
    const click = await run([...silence(5), ...speech(3), ...silence(30)], 10);
    expect(click.map((e) => e.type)).toEqual(['speech-start', 'misfire']);
  });

  it('reports nothing during a pause (it may be the silence that ends the utterance), nor after the end', async () => {
    const events = await run([...silence(5), ...speech(20), ...silence(10), ...speech(10), ...silence(40)], 100);
    const progress = events.filter((e) => e.type === 'speech-progress');
    expect(progress.length).toBeGreaterThan(3);
    const inPause = (at: number): boolean => {
      const frame = (at - 1) / MS_PER_FRAME;
      return (frame >= 25 && frame < 35) || frame >= 45;
    };
    expect(progress.filter((e) => inPause(e.at))).toEqual([]);
    const endIndex = events.findIndex((e) => e.type === 'speech-end');
    expect(endIndex).toBe(events.length - 1);
  });

  it('puts the last speech frame on speech-end: the endpointing wait is the redemption silence', async () => {
    const events = await run([...silence(10), ...speech(30), 0.4, ...silence(40)]);
    const end = events.find((e): e is Extract<VadEvent, { type: 'speech-end' }> => e.type === 'speech-end')!;
    // Frames 10..39 are speech; frame 40 (0.4) is neither speech nor silence.
    expect(end.lastSpeechAt).toBe(39 * MS_PER_FRAME);
    const wait = end.at - end.lastSpeechAt!;
    // 600 ms of redemption (18 frames of 32 ms) plus the in-between frame.
    expect(wait).toBeGreaterThanOrEqual(18 * MS_PER_FRAME);
    expect(wait).toBeLessThanOrEqual(20 * MS_PER_FRAME + 1);
    // The same wait in audio time: the silent frames heard (the in-between frame counts as silence).
    expect(end.silenceMs).toBe(wait - 1);
  });

  it('counts the silence in audio time, whatever bursts the frames arrive in', async () => {
    // Eight frames at a time, all arriving when the last of them is due.
    const events = await run([...silence(10), ...speech(30), ...silence(40)], 1000, (i) => (Math.floor(i / 8) * 8 + 7) * MS_PER_FRAME);
    const end = events.find((e): e is Extract<VadEvent, { type: 'speech-end' }> => e.type === 'speech-end')!;
    // Speech-end on frame 39 + 18 = 57, which arrived at 63 * 32 ms; the last speech frame was 39.
    expect(end.lastSpeechAt).toBe((63 - 18) * MS_PER_FRAME);
    expect(end.at - end.lastSpeechAt!).toBe(18 * MS_PER_FRAME + 1);
  });

  it('forgets the last speech frame between utterances', async () => {
    const events = await run([...silence(5), ...speech(20), ...silence(30), ...speech(3), ...silence(30), ...speech(20), ...silence(30)]);
    const ends = events.filter((e): e is Extract<VadEvent, { type: 'speech-end' }> => e.type === 'speech-end');
    expect(ends).toHaveLength(2);
    expect(ends[1]!.lastSpeechAt).toBe((5 + 20 + 30 + 3 + 30 + 19) * MS_PER_FRAME);
  });

  it('reports a pause after the short silence, with the utterance so far, and speech resuming after it', async () => {
    // Speech, 300 ms of silence (a pause of 200 ms is reached at its 7th frame), speech again, then the end.
    const events = await run([...silence(5), ...speech(30), ...silence(10), ...speech(20), ...silence(40)], 10_000);
    expect(events.map((e) => e.type)).toEqual([
      'speech-start',
      'speech-confirmed',
      'speech-pause',
      'speech-resumed',
      'speech-pause',
      'speech-end',
    ]);
    const pause = events[2] as Extract<VadEvent, { type: 'speech-pause' }>;
    // The last speech frame is frame 34; 200 ms later (7 frames of 32 ms) the pause is reported.
    expect(pause.lastSpeechAt).toBe(34 * MS_PER_FRAME);
    expect(pause.at - pause.lastSpeechAt).toBeGreaterThanOrEqual(DEFAULT_VAD_PARAMS.shortPauseMs);
    expect(pause.at - pause.lastSpeechAt).toBeLessThan(DEFAULT_VAD_PARAMS.shortPauseMs + 2 * MS_PER_FRAME);
    // Its audio runs from the pre-speech padding to the frame that made the pause.
    expect(pause.audio.at(-1)).toBe(41);
    const resumed = events[3]!;
    expect(resumed.type === 'speech-resumed' && resumed.at).toBe(45 * MS_PER_FRAME + 1);
  });

  it('reports no pause before speech is confirmed (a click is not a turn)', async () => {
    const events = await run([...silence(5), ...speech(3), ...silence(30)]);
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'misfire']);
  });
});
