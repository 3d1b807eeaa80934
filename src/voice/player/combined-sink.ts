// The player and a voice that plays text itself (the browser's speech synthesis) as the one sink
// the voice loop knows: a barge-in stops and holds both, and the turns hear the events of both.
import type { AudioSink, TextSpeaker } from './types.ts';

/** A text voice as a sink: everything a player does but `enqueue` (it gets text instead). */
export type SpeakerSink = TextSpeaker & Omit<AudioSink, 'enqueue'>;

export function combineSinks(player: AudioSink, speaker: Omit<AudioSink, 'enqueue'>): AudioSink {
  return {
    enqueue: (chunk, meta) => player.enqueue(chunk, meta),
    async stop() {
      const [played, spoken] = await Promise.all([player.stop(), speaker.stop()]);
      return { segments: [...played.segments, ...spoken.segments] };
    },
    hold(held) {
      player.hold(held);
      speaker.hold(held);
    },
    subscribe(listener) {
      const fromPlayer = player.subscribe(listener);
      const fromSpeaker = speaker.subscribe(listener);
      return () => {
        fromPlayer();
        fromSpeaker();
      };
    },
  };
}
