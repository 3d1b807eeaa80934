// Messages from the microphone wrapper (main thread) to its worklet. Types only.
import type { InputCleanupSettings } from '../audio/input-cleanup.ts';

export type { InputCleanupSettings };

export type MicCaptureCommand =
  /** Where to post the 16 kHz frames (one end of a MessageChannel, transferred). */
  | { type: 'connect'; port: MessagePort }
  | { type: 'mute'; muted: boolean }
  /** Switches the input clean-up's stages (high-pass, noise gate) while the microphone runs. */
  | ({ type: 'cleanup' } & InputCleanupSettings);

export interface MicCaptureOptions {
  /** Rate of the frames posted (the VAD's and ASR's rate). */
  targetRate: number;
  /** Samples per posted frame (Silero v5 at 16 kHz takes 512). */
  frameSize: number;
  /** The input clean-up's stages at the start; absent: both off (the signal as it comes). */
  cleanup?: InputCleanupSettings;
}

export const MIC_CAPTURE_PROCESSOR = 'hearth-mic-capture';
