// Messages from the microphone wrapper (main thread) to its worklet. Types only.

export type MicCaptureCommand =
  /** Where to post the 16 kHz frames (one end of a MessageChannel, transferred). */
  | { type: 'connect'; port: MessagePort }
  | { type: 'mute'; muted: boolean };

export interface MicCaptureOptions {
  /** Rate of the frames posted (the VAD's and ASR's rate). */
  targetRate: number;
  /** Samples per posted frame (Silero v5 at 16 kHz takes 512). */
  frameSize: number;
}

export const MIC_CAPTURE_PROCESSOR = 'hearth-mic-capture';
