// Main-thread half of the player: a gapless queue played by an AudioWorklet, reporting when each
// segment becomes audible and how much of it was played, so an interrupted reply can be cut to
// the words the user heard.
import type { AudioChunk } from '../../engines/types.ts';
import { meterAudio, type LevelMeter } from '../audio/level-meter.ts';
import { audibleAt } from '../audio/output-clock.ts';
import { resumeOnGesture } from '../audio/resume-on-gesture.ts';
import { resampleClip } from '../audio/stream-resampler.ts';
import { PLAYBACK_PROCESSOR, type PlaybackCommand, type PlaybackReport, type SegmentFrames } from './playback-protocol.ts';
import playbackWorkletUrl from './playback.worklet.ts?worker&url';
import type { AudioSink, PlayerEvent, PlayerState, SegmentMeta, StopReport } from './types.ts';

export interface AudioPlayerOptions {
  /** Play through this context instead of a new one (the player then never closes it). */
  context?: AudioContext;
  /**
   * Rate of a new context. The TTS rate (Kokoro: 24 kHz) by default: chunks then need no
   * conversion and the browser resamples to the device. Falls back to the device rate where a
   * browser refuses the rate; chunks are then converted here.
   */
  sampleRate?: number;
  /** Where the audio goes; the context's destination by default. */
  destination?: AudioNode;
  /**
   * `stop()` answers from the audio thread within a render quantum; if the context is suspended
   * or closed it answers from what the main thread knows after this long.
   */
  stopTimeoutMs?: number;
}

export interface AudioPlayer extends AudioSink {
  readonly context: AudioContext;
  readonly state: PlayerState;
  /** Frames rendered from the queue so far (context rate), as last reported (~every 100 ms). */
  readonly renderedFrames: number;
  readonly renderedSeconds: number;
  /**
   * Takes the port on which the VAD worker signals speech start and misfire straight to the
   * audio thread, so the reply goes silent without waiting for the main thread.
   */
  acceptBargeIn(port: MessagePort): void;
  /** The exact count, asked of the audio thread. */
  countRenderedFrames(): Promise<number>;
  /** Resumes a suspended context (call from a user gesture where the browser requires one). */
  resume(): Promise<void>;
  /** How loud the reply is at the output right now, 0..1 (the voice visual follows it). */
  level(): number;
  close(): Promise<void>;
}

interface TrackedSegment extends SegmentMeta {
  enqueuedAt: number;
  totalFrames: number;
  /** Main-thread time the segment became audible, once known. */
  audibleAt?: number;
}

function segmentKey(meta: SegmentMeta): string {
  return `${meta.turnId}\u0000${meta.segmentId}`;
}

function createContext(sampleRate: number): AudioContext {
  try {
    return new AudioContext({ sampleRate, latencyHint: 'interactive' });
  } catch {
    return new AudioContext({ latencyHint: 'interactive' });
  }
}

export async function createAudioPlayer(options: AudioPlayerOptions = {}): Promise<AudioPlayer> {
  const ownsContext = options.context === undefined;
  const context = options.context ?? createContext(options.sampleRate ?? 24000);
  try {
    await context.audioWorklet.addModule(playbackWorkletUrl);
    const node = new AudioWorkletNode(context, PLAYBACK_PROCESSOR, {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    node.connect(options.destination ?? context.destination);
    return new WorkletAudioPlayer(context, node, ownsContext, options.stopTimeoutMs ?? 250);
  } catch (error) {
    if (ownsContext) void context.close().catch(() => {});
    throw error;
  }
}

class WorkletAudioPlayer implements AudioPlayer {
  private readonly listeners = new Set<(event: PlayerEvent) => void>();
  private readonly segments = new Map<string, TrackedSegment>();
  private readonly pendingStops = new Map<number, (segments: SegmentFrames[]) => void>();
  private readonly pendingCounts = new Map<number, (frames: number) => void>();
  private readonly stopResuming: () => void;
  private readonly meter: LevelMeter;
  private rendered = 0;
  private nextRequestId = 1;

  constructor(
    readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    private readonly ownsContext: boolean,
    private readonly stopTimeoutMs: number,
  ) {
    node.port.onmessage = (event: MessageEvent<PlaybackReport>) => this.handleReport(event.data);
    context.addEventListener('statechange', () => this.emit({ type: 'state', state: this.state }));
    this.stopResuming = resumeOnGesture(context);
    this.meter = meterAudio(context, node);
  }

  get state(): PlayerState {
    // Safari's "interrupted" (a phone call) behaves like suspended.
    if (this.context.state === 'running') return 'running';
    return this.context.state === 'closed' ? 'closed' : 'suspended';
  }

  get renderedFrames(): number {
    return this.rendered;
  }

  get renderedSeconds(): number {
    return this.rendered / this.context.sampleRate;
  }

  subscribe(listener: (event: PlayerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  enqueue(chunk: AudioChunk, meta: SegmentMeta): void {
    if (this.context.state === 'closed') throw new Error('The audio player is closed');
    // Always a copy: the buffer is transferred to the audio thread, and the caller keeps its chunk.
    const samples =
      chunk.sampleRate === this.context.sampleRate
        ? chunk.samples.slice()
        : resampleClip(chunk.samples, chunk.sampleRate, this.context.sampleRate);
    const now = performance.now();
    if (samples.length === 0) {
      // Nothing to hear; report it as played so a caller counting segments is not left waiting.
      queueMicrotask(() => {
        const played = { ...meta, playedFrames: 0, totalFrames: 0 };
        this.emit({ type: 'segment-start', ...meta, at: now });
        this.emit({ type: 'played', ...played });
        this.emit({ type: 'segment-end', ...played, at: now });
      });
      return;
    }
    this.segments.set(segmentKey(meta), { ...meta, enqueuedAt: now, totalFrames: samples.length });
    this.post({ type: 'enqueue', turnId: meta.turnId, segmentId: meta.segmentId, samples }, [samples.buffer]);
    if (this.context.state === 'suspended') void this.context.resume().catch(() => {});
  }

  stop(): Promise<StopReport> {
    const requestId = this.nextRequestId++;
    // Segments queued after this call (the next turn) are not affected by this stop.
    const cut = new Set(this.segments.keys());
    this.post({ type: 'stop', requestId });
    return new Promise<StopReport>((resolve) => {
      const timer = setTimeout(() => {
        this.pendingStops.delete(requestId);
        resolve({ segments: this.finishCutSegments(cut, this.estimateCutSegments(cut)) });
      }, this.stopTimeoutMs);
      this.pendingStops.set(requestId, (segments) => {
        clearTimeout(timer);
        resolve({ segments: this.finishCutSegments(cut, segments) });
      });
    });
  }

  hold(held: boolean): void {
    this.post({ type: 'hold', held });
  }

  acceptBargeIn(port: MessagePort): void {
    this.post({ type: 'connect-barge-in', port }, [port]);
  }

  countRenderedFrames(): Promise<number> {
    const requestId = this.nextRequestId++;
    this.post({ type: 'report', requestId });
    return new Promise<number>((resolve) => {
      const timer = setTimeout(() => {
        this.pendingCounts.delete(requestId);
        resolve(this.rendered);
      }, this.stopTimeoutMs);
      this.pendingCounts.set(requestId, (frames) => {
        clearTimeout(timer);
        resolve(frames);
      });
    });
  }

  async resume(): Promise<void> {
    if (this.context.state === 'suspended') await this.context.resume();
  }

  level(): number {
    return this.context.state === 'running' ? this.meter.read() : 0;
  }

  async close(): Promise<void> {
    this.stopResuming();
    this.meter.disconnect();
    this.node.port.onmessage = null;
    this.node.disconnect();
    this.segments.clear();
    if (this.ownsContext && this.context.state !== 'closed') await this.context.close();
  }

  private post(command: PlaybackCommand, transfer: Transferable[] = []): void {
    this.node.port.postMessage(command, transfer);
  }

  private contextFrameToAudible(frame: number): number {
    return audibleAt(this.context, frame / this.context.sampleRate);
  }

  private handleReport(report: PlaybackReport): void {
    this.rendered = report.renderedFrames;
    switch (report.type) {
      case 'segment-start': {
        const segment = this.segments.get(segmentKey(report));
        const predicted = this.contextFrameToAudible(report.frame);
        // The output clock can lag just after start-up; audio cannot be heard before it was queued.
        const at = Math.max(predicted, segment?.enqueuedAt ?? predicted);
        if (segment) segment.audibleAt = at;
        this.emit({ type: 'segment-start', turnId: report.turnId, segmentId: report.segmentId, at });
        return;
      }
      case 'segment-end': {
        this.segments.delete(segmentKey(report));
        const played = { turnId: report.turnId, segmentId: report.segmentId, playedFrames: report.playedFrames, totalFrames: report.totalFrames };
        this.emit({ type: 'played', ...played });
        this.emit({ type: 'segment-end', ...played, at: this.contextFrameToAudible(report.frame) });
        return;
      }
      case 'held':
        this.emit({ type: 'hold', held: report.held, at: this.contextFrameToAudible(report.frame) });
        return;
      case 'drained':
        this.emit({ type: 'drained', at: this.contextFrameToAudible(report.frame), renderedFrames: report.renderedFrames });
        return;
      case 'stopped':
        this.pendingStops.get(report.requestId)?.(report.segments);
        this.pendingStops.delete(report.requestId);
        return;
      case 'report':
        this.pendingCounts.get(report.requestId)?.(report.renderedFrames);
        this.pendingCounts.delete(report.requestId);
        return;
      case 'progress':
        return;
    }
  }

  /** When the audio thread does not answer: what played, judged by the clock. */
  private estimateCutSegments(cut: ReadonlySet<string>): SegmentFrames[] {
    const now = performance.now();
    const segments = [...this.segments.entries()].filter(([key]) => cut.has(key)).map(([, segment]) => segment);
    return segments.map((segment) => {
      const elapsed = segment.audibleAt === undefined ? 0 : Math.max(0, now - segment.audibleAt) / 1000;
      const playedFrames = Math.min(segment.totalFrames, Math.floor(elapsed * this.context.sampleRate));
      return { turnId: segment.turnId, segmentId: segment.segmentId, playedFrames, totalFrames: segment.totalFrames };
    });
  }

  private finishCutSegments(cut: ReadonlySet<string>, segments: SegmentFrames[]): SegmentFrames[] {
    for (const segment of segments) this.emit({ type: 'played', ...segment });
    for (const key of cut) this.segments.delete(key);
    return segments;
  }

  private emit(event: PlayerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
