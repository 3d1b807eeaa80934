export { createAudioPlayer, type AudioPlayer, type AudioPlayerOptions } from './audio-player.ts';
export { combineSinks, type SpeakerSink } from './combined-sink.ts';
export type { AudioSink, PlayerEvent, PlayerState, SegmentMeta, SegmentPlayback, StopReport, TextSpeaker } from './types.ts';
