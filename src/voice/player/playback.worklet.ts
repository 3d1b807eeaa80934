// Audio-thread half of the player: plays queued segments back to back, sample-exact, and says
// when each one really started and ended and how much of it was rendered. Self-contained: only a
// type import, so the bundle is this file alone.
import type { BargeInSignal, PlaybackCommand, PlaybackReport, SegmentFrames } from './playback-protocol.ts';

interface QueuedSegment {
  turnId: string;
  segmentId: number;
  samples: Float32Array;
  offset: number;
  started: boolean;
}

/** ~100 ms of 128-frame quanta at 48 kHz: keeps the main thread's counter fresh, cheaply. */
const QUANTA_PER_PROGRESS = 37;
const FADE_FRAMES = 128;

class PlaybackProcessor extends AudioWorkletProcessor {
  private queue: QueuedSegment[] = [];
  private renderedFrames = 0;
  private playing = false;
  private quantaSinceProgress = 0;
  /** The few samples after a stop, faded to zero so the cut does not click. */
  private fadeTail: Float32Array | null = null;
  /** Held: output silence and keep the queue where it is (the user may only have coughed). */
  private held = false;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<PlaybackCommand>) => this.handle(event.data);
  }

  private post(report: PlaybackReport): void {
    this.port.postMessage(report);
  }

  private handle(command: PlaybackCommand): void {
    switch (command.type) {
      case 'enqueue':
        if (command.samples.length === 0) return;
        this.queue.push({ turnId: command.turnId, segmentId: command.segmentId, samples: command.samples, offset: 0, started: false });
        return;
      case 'hold':
        this.setHeld(command.held);
        return;
      case 'connect-barge-in':
        command.port.onmessage = (event: MessageEvent<BargeInSignal>) => this.onBargeIn(event.data);
        return;
      case 'stop': {
        const segments: SegmentFrames[] = this.queue.map((segment) => ({
          turnId: segment.turnId,
          segmentId: segment.segmentId,
          playedFrames: segment.offset,
          totalFrames: segment.samples.length,
        }));
        if (!this.held) this.fadeTail = this.fadeFromCurrent();
        this.held = false;
        this.queue = [];
        this.playing = false;
        this.post({ type: 'stopped', requestId: command.requestId, segments, renderedFrames: this.renderedFrames });
        return;
      }
      case 'report':
        this.post({ type: 'report', requestId: command.requestId, renderedFrames: this.renderedFrames });
        return;
    }
  }

  private setHeld(held: boolean): void {
    if (held === this.held) return;
    if (held) this.fadeTail = this.fadeFromCurrent();
    this.held = held;
    this.post({ type: 'held', held, frame: currentFrame, renderedFrames: this.renderedFrames });
  }

  /**
   * From the VAD: the user may be talking. Only a reply that is actually sounding is held; speech
   * while nothing plays must not leave the next reply stuck in silence.
   */
  private onBargeIn(signal: BargeInSignal): void {
    if (signal.type !== 'hold') return;
    if (!signal.held || this.queue[0]?.started) this.setHeld(signal.held);
  }

  /**
   * The next few samples of the playing segment, faded to zero, so a cut does not click. They
   * are not counted as played: after a hold, playback resumes from where the fade began.
   */
  private fadeFromCurrent(): Float32Array | null {
    const current = this.queue[0];
    if (!current?.started || this.held) return null;
    const tail = current.samples.slice(current.offset, current.offset + FADE_FRAMES);
    for (let i = 0; i < tail.length; i += 1) tail[i] = (tail[i] as number) * (1 - (i + 1) / tail.length);
    return tail;
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0];
    const channel = output?.[0];
    if (!output || !channel) return true;
    let written = 0;

    if (this.fadeTail) {
      channel.set(this.fadeTail.subarray(0, channel.length));
      written = Math.min(this.fadeTail.length, channel.length);
      this.fadeTail = null;
    }

    while (!this.held && written < channel.length && this.queue.length > 0) {
      const segment = this.queue[0] as QueuedSegment;
      if (!segment.started) {
        segment.started = true;
        this.playing = true;
        this.post({ type: 'segment-start', turnId: segment.turnId, segmentId: segment.segmentId, frame: currentFrame + written, renderedFrames: this.renderedFrames });
      }
      const count = Math.min(segment.samples.length - segment.offset, channel.length - written);
      channel.set(segment.samples.subarray(segment.offset, segment.offset + count), written);
      segment.offset += count;
      written += count;
      this.renderedFrames += count;
      if (segment.offset >= segment.samples.length) {
        this.queue.shift();
        this.post({
          type: 'segment-end',
          turnId: segment.turnId,
          segmentId: segment.segmentId,
          playedFrames: segment.samples.length,
          totalFrames: segment.samples.length,
          frame: currentFrame + written,
          renderedFrames: this.renderedFrames,
        });
      }
    }
    channel.fill(0, written);
    for (let c = 1; c < output.length; c += 1) output[c]?.set(channel);

    if (this.playing && !this.held && this.queue.length === 0) {
      this.playing = false;
      this.post({ type: 'drained', frame: currentFrame + written, renderedFrames: this.renderedFrames });
    }
    if (this.playing && (this.quantaSinceProgress += 1) >= QUANTA_PER_PROGRESS) {
      this.quantaSinceProgress = 0;
      this.post({ type: 'progress', renderedFrames: this.renderedFrames });
    }
    // Stay alive while idle: the next segment must start without re-creating the node.
    return true;
  }
}

registerProcessor('hearth-playback', PlaybackProcessor);
