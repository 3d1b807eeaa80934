import { useState, type FormEvent, type KeyboardEvent } from 'react';

/** The agent's reply box: Enter sends, Shift+Enter starts a new line. */
export function ReplyForm({ onSend }: { onSend: (text: string) => Promise<boolean> }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);

  const send = async () => {
    if (!text.trim() || sending) return;
    setSending(true);
    if (await onSend(text)) setText('');
    setSending(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  const keyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form className="reply-form" onSubmit={submit}>
      <label htmlFor="agent-reply">Reply (the caller hears it in the app's voice)</label>
      <textarea id="agent-reply" rows={3} value={text} maxLength={4000} onChange={(e) => setText(e.target.value)} onKeyDown={keyDown} />
      <button type="submit" disabled={!text.trim() || sending}>
        Send
      </button>
    </form>
  );
}
