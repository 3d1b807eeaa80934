import { useState, type FormEvent } from 'react';
import { useSession } from '../../stores/session-store.ts';
import { useSettings } from '../../stores/settings-store.ts';
import type { VoiceController } from '../voice-controller.ts';

export function Controls({ controller }: { controller: VoiceController }) {
  const state = useSession((s) => s.state);
  const muted = useSession((s) => s.muted);
  const micUnavailable = useSession((s) => s.micUnavailable);
  const inputMode = useSettings((s) => s.inputMode);
  const [text, setText] = useState('');
  const busy = state === 'thinking' || state === 'speaking';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    controller.submitText(value);
    setText('');
  };

  return (
    <div className="controls">
      {!micUnavailable && inputMode === 'push-to-talk' && (
        <button
          type="button"
          className="talk"
          aria-label="Hold to talk"
          onPointerDown={() => controller.pushToTalk(true)}
          onPointerUp={() => controller.pushToTalk(false)}
          onPointerLeave={() => controller.pushToTalk(false)}
          onKeyDown={(e) => (e.key === ' ' || e.key === 'Enter') && !e.repeat && controller.pushToTalk(true)}
          onKeyUp={(e) => (e.key === ' ' || e.key === 'Enter') && controller.pushToTalk(false)}
        >
          Hold to talk
        </button>
      )}
      {!micUnavailable && (
        <button type="button" aria-pressed={muted} onClick={() => controller.setMuted(!muted)} data-testid="mute">
          {muted ? 'Unmute microphone' : 'Mute microphone'}
        </button>
      )}
      {busy && (
        <button type="button" onClick={() => controller.interrupt()}>
          Stop reply
        </button>
      )}
      <form className="text-input" onSubmit={submit}>
        <label htmlFor="message-text" className="visually-hidden">
          Type a message
        </label>
        <input id="message-text" value={text} onChange={(e) => setText(e.target.value)} placeholder={micUnavailable ? 'Type your message' : 'Or type a message'} autoComplete="off" />
        <button type="submit" disabled={!text.trim()}>
          Send
        </button>
      </form>
    </div>
  );
}
