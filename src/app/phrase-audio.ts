// The phrase audio cache (src/voice/phrase-cache/) on this page: the fixed handoff announcements,
// the browser's Cache Storage, the TTS worker, and the moments to fill and evict it.
import { fixedAnnouncements } from '../handoff/announcements.ts';
import { useSettings } from '../stores/settings-store.ts';
import type { VoiceState } from '../voice/events.ts';
import { PhraseCache } from '../voice/phrase-cache/phrase-cache.ts';
import { DEFAULT_SPEED } from '../voice/phrase-cache/phrase-key.ts';
import type { TurnManager } from '../voice/turn-manager.ts';
import type { StageSet } from './stage-set.ts';

/** No turn, spoken message or speech in progress: the TTS worker is free for the fill. */
const QUIET: ReadonlySet<VoiceState> = new Set(['idle', 'listening']);

export class PhraseAudio {
  /** The TTS the voice loop speaks through: the cache in front of the TTS worker. */
  readonly tts: PhraseCache;
  private manager: TurnManager | undefined;

  constructor(private readonly stages: StageSet) {
    this.tts = new PhraseCache({
      engine: stages.tts,
      storage: typeof caches === 'undefined' ? undefined : caches,
      phrases: fixedAnnouncements,
      busy: () => !this.manager || !QUIET.has(this.manager.state),
    });
  }

  /** Once the models are loaded: fills now, goes on after each turn, follows a change of voice. */
  attach(manager: TurnManager): void {
    this.manager = manager;
    manager.subscribe((event) => {
      // Also after a turn that reloaded the TTS on the CPU (a lost GPU): the model is in the key.
      if (event.type === 'state' && QUIET.has(event.state)) this.refresh();
    });
    // After the settings reach the turn manager (the panel applies them right after the change).
    useSettings.subscribe((settings, before) => {
      if (settings.voice !== before.voice) queueMicrotask(() => this.refresh());
    });
    this.refresh();
  }

  private refresh(): void {
    const tts = this.stages.info('tts');
    if (!tts || !this.manager) return;
    if (tts.warmupMs !== undefined) this.tts.noteWarmUp(tts.warmupMs);
    // What the next turn speaks with (a turn takes the manager's settings when it starts).
    const { voice, speed, splitter } = this.manager.currentSettings;
    void this.tts.refresh({ voice, speed: speed ?? DEFAULT_SPEED, model: `${tts.model}@${tts.dtype}` }, splitter);
  }
}
