export { openMicrophone, DEFAULT_INPUT_CLEANUP, MIC_FRAME_SIZE, MIC_SAMPLE_RATE, type Microphone, type MicrophoneOptions } from './open-microphone.ts';
export type { InputCleanupSettings } from './mic-capture-protocol.ts';
export { MicrophoneError, toMicrophoneError, type MicrophoneErrorReason } from './microphone-error.ts';
