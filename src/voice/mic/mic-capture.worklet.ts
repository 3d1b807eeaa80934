// Audio-thread half of the microphone: converts the context's rate (48 kHz typically) to 16 kHz,
// cleans the input up (high-pass against hum and rumble, a soft noise gate; each switchable) and
// posts fixed 512-sample frames straight to the VAD worker's port, so frames never wait on a busy
// main thread.
import { InputCleanup } from '../audio/input-cleanup.ts';
import { StreamResampler } from '../audio/stream-resampler.ts';
import type { MicCaptureCommand, MicCaptureOptions } from './mic-capture-protocol.ts';

/** The part of AudioWorkletNodeOptions the processor sees (the DOM type is not in this scope). */
interface ProcessorConstruction {
  processorOptions?: MicCaptureOptions;
}

class MicCaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler: StreamResampler;
  /** On the 16 kHz stream: a third of the work of 48 kHz, and it measures what the VAD hears. */
  private readonly cleanup: InputCleanup;
  private readonly frameSize: number;
  private readonly scratch: Float32Array;
  private frame: Float32Array<ArrayBuffer>;
  private filled = 0;
  private target: MessagePort | null = null;
  private muted = false;

  constructor(options: ProcessorConstruction) {
    super();
    const settings = options.processorOptions ?? { targetRate: 16000, frameSize: 512 };
    this.frameSize = settings.frameSize;
    this.resampler = new StreamResampler(sampleRate, settings.targetRate);
    this.scratch = new Float32Array(this.resampler.maxOutput(128));
    this.cleanup = new InputCleanup(settings.targetRate, settings.cleanup ?? { highPass: false, noiseGate: false });
    this.frame = new Float32Array(this.frameSize);
    this.port.onmessage = (event: MessageEvent<MicCaptureCommand>) => this.handle(event.data);
  }

  private handle(command: MicCaptureCommand): void {
    switch (command.type) {
      case 'connect':
        this.target = command.port;
        return;
      case 'mute':
        if (command.muted && !this.muted) {
          // Unmuting starts clean: no half frame or filter memory from before the pause.
          this.filled = 0;
          this.resampler.reset();
          // The gate learns the room again: it may have changed while nothing was heard.
          this.cleanup.reset();
        }
        this.muted = command.muted;
        return;
      case 'cleanup':
        this.cleanup.configure({ highPass: command.highPass, noiseGate: command.noiseGate });
        return;
    }
  }

  process(inputs: Float32Array[][]): boolean {
    // The node is set to one channel, so the graph has already mixed the input down to mono.
    const input = inputs[0]?.[0];
    if (!input || this.muted || !this.target) return true;
    const count = this.resampler.process(input, this.scratch);
    this.cleanup.process(this.scratch, count);
    for (let i = 0; i < count; i += 1) {
      this.frame[this.filled] = this.scratch[i] as number;
      this.filled += 1;
      if (this.filled === this.frameSize) {
        this.target.postMessage(this.frame, [this.frame.buffer]);
        this.frame = new Float32Array(this.frameSize);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('hearth-mic-capture', MicCaptureProcessor);
