export { openMicrophone, MIC_FRAME_SIZE, MIC_SAMPLE_RATE, type Microphone, type MicrophoneOptions } from './open-microphone.ts';
export { MicrophoneError, toMicrophoneError, type MicrophoneErrorReason } from './microphone-error.ts';
