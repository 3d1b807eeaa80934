export { createAudioPlayer, type AudioPlayer, type AudioPlayerOptions } from './audio-player.ts';
export type { AudioSink, PlayerEvent, PlayerState, SegmentMeta, SegmentPlayback, StopReport } from './types.ts';
