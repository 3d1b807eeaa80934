import { useState, type FormEvent } from 'react';
import { HandoffBanner } from '../../handoff/HandoffBanner.tsx';
import { useSession } from '../../stores/session-store.ts';
import type { VoiceController } from '../voice-controller.ts';
import { StatusChips } from './StatusChips.tsx';
import { StatusIndicator } from './StatusIndicator.tsx';
import { TalkButton } from './TalkButton.tsx';

/** The bottom of the conversation screen: the talk button with its visual, status, and typing. */
export function VoiceDock({ controller }: { controller: VoiceController }) {
  const state = useSession((s) => s.state);
  const micUnavailable = useSession((s) => s.micUnavailable);
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
    <div className="dock">
      <HandoffBanner />
      <div className="dock-voice">
        <TalkButton controller={controller} />
        <div className="dock-status">
          <StatusIndicator />
          <StatusChips />
        </div>
        {/* Always laid out, hidden when idle: its coming and going must not move the button. */}
        <button type="button" className="stop-reply" onClick={() => controller.interrupt()} hidden={!busy}>
          Stop reply
        </button>
      </div>
      <form className="text-input" onSubmit={submit}>
        <label htmlFor="message-text" className="visually-hidden">
          Type a message
        </label>
        <input id="message-text" value={text} onChange={(e) => setText(e.target.value)} placeholder={micUnavailable ? 'Type your message' : 'Or type a message'} autoComplete="off" />
        <button type="submit" className="primary" disabled={!text.trim()}>
          Send
        </button>
      </form>
    </div>
  );
}
