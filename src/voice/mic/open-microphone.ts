// Opens the microphone and streams it as 16 kHz mono frames of exactly 512 samples (what Silero
// VAD v5 takes) through a MessagePort. The frames go from the audio thread straight to whoever
// holds the port, typically the VAD worker, so a busy main thread never delays them.
import { meterAudio, type LevelMeter } from '../audio/level-meter.ts';
import { resumeOnGesture } from '../audio/resume-on-gesture.ts';
import { MIC_CAPTURE_PROCESSOR, type InputCleanupSettings, type MicCaptureCommand, type MicCaptureOptions } from './mic-capture-protocol.ts';
import micCaptureWorkletUrl from './mic-capture.worklet.ts?worker&url';
import { MicrophoneError, toMicrophoneError } from './microphone-error.ts';

export const MIC_SAMPLE_RATE = 16000;
export const MIC_FRAME_SIZE = 512;

/** Both stages of the input clean-up on: what the app does unless the user turns them off. */
export const DEFAULT_INPUT_CLEANUP: InputCleanupSettings = { highPass: true, noiseGate: true };

export interface MicrophoneOptions {
  /** Keep on for barge-in: it removes the assistant's own voice from the input. */
  echoCancellation?: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
  /**
   * Clean-up in the audio thread before the frames go out: a high-pass at 90 Hz (hum, rumble)
   * and a soft noise gate (quiet stretches turned down 20 dB, never cut). Both on by default.
   */
  cleanup?: InputCleanupSettings;
  /** A device from `enumerateDevices()`; the default input when absent. */
  deviceId?: string;
  /** Called when the device stops on its own (unplugged, permission revoked). */
  onEnded?: (error: MicrophoneError) => void;
}

export interface Microphone {
  /**
   * Receives the frames: each message's data is a Float32Array of 512 samples at 16 kHz
   * (transferred). Hand it to the VAD worker with
   * `vadWorker.postMessage({ type: 'attach-mic', port }, [port])`, or listen on it here.
   * Frames queue in the port until it is started (transferred, or given an onmessage).
   */
  readonly port: MessagePort;
  readonly sampleRate: typeof MIC_SAMPLE_RATE;
  readonly frameSize: typeof MIC_FRAME_SIZE;
  readonly stream: MediaStream;
  readonly context: AudioContext;
  readonly muted: boolean;
  /** How loud the input is right now, 0..1 (0 while muted: nothing is being heard). */
  level(): number;
  /** Stops posting frames without releasing the device (instant to undo). */
  setMuted(muted: boolean): void;
  /** Switches the input clean-up's stages from the next audio block on. */
  setCleanup(cleanup: InputCleanupSettings): void;
  /** Releases the device and the audio graph. Idempotent. */
  stop(): Promise<void>;
}

function audioConstraints(options: MicrophoneOptions): MediaTrackConstraints {
  return {
    echoCancellation: options.echoCancellation ?? true,
    noiseSuppression: options.noiseSuppression ?? true,
    autoGainControl: options.autoGainControl ?? true,
    channelCount: 1,
    ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}),
  };
}

async function requestStream(options: MicrophoneOptions): Promise<MediaStream> {
  if (typeof isSecureContext === 'boolean' && !isSecureContext) throw new MicrophoneError('insecure-context');
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) throw new MicrophoneError('unsupported');
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: audioConstraints(options), video: false });
  } catch (error) {
    throw toMicrophoneError(error);
  }
}

export async function openMicrophone(options: MicrophoneOptions = {}): Promise<Microphone> {
  const stream = await requestStream(options);
  // The device's own rate: a context at another rate cannot take a MediaStream in every browser
  // (Firefox refuses); the worklet converts to 16 kHz with a proper anti-aliasing filter.
  let context: AudioContext | undefined;
  try {
    context = new AudioContext({ latencyHint: 'interactive' });
    await context.audioWorklet.addModule(micCaptureWorkletUrl);
    const processorOptions: MicCaptureOptions = {
      targetRate: MIC_SAMPLE_RATE,
      frameSize: MIC_FRAME_SIZE,
      cleanup: { ...DEFAULT_INPUT_CLEANUP, ...options.cleanup },
    };
    const node = new AudioWorkletNode(context, MIC_CAPTURE_PROCESSOR, {
      numberOfInputs: 1,
      // No output: a node without outputs is still processed, and nothing reaches the speakers.
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions,
    });
    const channel = new MessageChannel();
    const connect: MicCaptureCommand = { type: 'connect', port: channel.port2 };
    node.port.postMessage(connect, [channel.port2]);
    const source = context.createMediaStreamSource(stream);
    source.connect(node);
    return new OpenMicrophone(stream, context, source, node, channel.port1, options.onEnded);
  } catch (error) {
    for (const track of stream.getTracks()) track.stop();
    if (context) void context.close().catch(() => {});
    throw error instanceof MicrophoneError ? error : new MicrophoneError('audio-setup', { cause: error });
  }
}

class OpenMicrophone implements Microphone {
  readonly sampleRate = MIC_SAMPLE_RATE;
  readonly frameSize = MIC_FRAME_SIZE;
  private isMuted = false;
  private stopped = false;
  private readonly stopResuming: () => void;
  private readonly meter: LevelMeter;

  constructor(
    readonly stream: MediaStream,
    readonly context: AudioContext,
    private readonly source: MediaStreamAudioSourceNode,
    private readonly node: AudioWorkletNode,
    readonly port: MessagePort,
    onEnded?: (error: MicrophoneError) => void,
  ) {
    this.stopResuming = resumeOnGesture(context);
    this.meter = meterAudio(context, source);
    for (const track of stream.getAudioTracks()) {
      track.addEventListener('ended', () => {
        if (!this.stopped) onEnded?.(new MicrophoneError('ended'));
      });
    }
  }

  get muted(): boolean {
    return this.isMuted;
  }

  level(): number {
    return this.isMuted || this.stopped ? 0 : this.meter.read();
  }

  setMuted(muted: boolean): void {
    this.isMuted = muted;
    const command: MicCaptureCommand = { type: 'mute', muted };
    this.node.port.postMessage(command);
  }

  setCleanup(cleanup: InputCleanupSettings): void {
    const command: MicCaptureCommand = { type: 'cleanup', highPass: cleanup.highPass, noiseGate: cleanup.noiseGate };
    this.node.port.postMessage(command);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopResuming();
    this.meter.disconnect();
    this.source.disconnect();
    this.node.disconnect();
    for (const track of this.stream.getTracks()) track.stop();
    await this.context.close().catch(() => {});
  }
}
