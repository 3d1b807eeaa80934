// The voice loop's core, free of DOM: the turn manager and what it speaks in. The browser parts
// are separate entry points: `./player/index.ts` (playback) and `./mic/index.ts` (capture).
export { TurnManager, type TurnHooks, type TurnManagerOptions } from './turn-manager.ts';
export type { VoiceEngines, TurnPhase, TurnRoute } from './turn.ts';
export type { SpeakOptions, SpokenOutcome } from './spoken-message.ts';
export type { TurnManagerEvent, TurnManagerListener, TurnOutcome, VoiceNotice, VoiceStage, VoiceState } from './events.ts';
export type { HistoryMessage } from './history.ts';
export { DEFAULT_VOICE_SETTINGS, withDefaults, type ResponseMode, type VoiceSettings } from './settings.ts';
export { SentenceSplitter, splitSentences, type SentenceSplitterOptions } from './sentence-splitter.ts';
export type { AudioSink, PlayerEvent, PlayerState, SegmentMeta, SegmentPlayback, StopReport } from './player/types.ts';
