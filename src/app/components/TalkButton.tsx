import { useCallback } from 'react';
import { useSession } from '../../stores/session-store.ts';
import { useSettings } from '../../stores/settings-store.ts';
import type { VoiceController } from '../voice-controller.ts';
import { Icon } from './Icon.tsx';
import { VoiceOrb } from './VoiceOrb.tsx';

/**
 * The one large control, with the voice visual inside it. Hands-free: a tap pauses listening
 * (the microphone is released, the browser's recording indicator goes off) and another resumes.
 * Push-to-talk: hold it (pointer, Space or Enter) while speaking.
 */
export function TalkButton({ controller }: { controller: VoiceController }) {
  const state = useSession((s) => s.state);
  const muted = useSession((s) => s.muted);
  const micUnavailable = useSession((s) => s.micUnavailable);
  const inputMode = useSettings((s) => s.inputMode);
  const levels = useCallback(() => controller.levels(), [controller]);
  const orb = <VoiceOrb levels={levels} state={muted ? 'idle' : state} />;

  if (micUnavailable) {
    return <div className="talk talk-unavailable">{orb}</div>;
  }
  if (inputMode === 'push-to-talk') {
    return (
      <button
        type="button"
        className="talk"
        data-testid="talk-button"
        onPointerDown={() => controller.pushToTalk(true)}
        onPointerUp={() => controller.pushToTalk(false)}
        onPointerLeave={() => controller.pushToTalk(false)}
        onKeyDown={(e) => (e.key === ' ' || e.key === 'Enter') && !e.repeat && controller.pushToTalk(true)}
        onKeyUp={(e) => (e.key === ' ' || e.key === 'Enter') && controller.pushToTalk(false)}
      >
        {orb}
        <span className="talk-icon">
          <Icon name="mic" size={28} />
        </span>
        <span className="visually-hidden">Hold to talk</span>
      </button>
    );
  }
  return (
    <button type="button" className="talk" data-testid="talk-button" data-muted={muted} onClick={() => controller.setMuted(!muted)}>
      {orb}
      <span className="talk-icon">
        <Icon name={muted ? 'mic' : 'pause'} size={28} />
      </span>
      <span className="visually-hidden">{muted ? 'Resume listening' : 'Pause listening'}</span>
    </button>
  );
}
