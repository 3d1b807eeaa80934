import type { TurnManagerEvent } from '../voice/events.ts';
import { STAGE_LABELS } from './stage-labels.ts';
import { useConversations } from '../conversations/index.ts';
import { useSession } from '../stores/session-store.ts';
import { useTimings } from '../stores/timing-store.ts';


/** Mirrors the voice loop's events into the stores the UI reads. */
export function applyTurnEvent(event: TurnManagerEvent): void {
  const session = useSession.getState();
  switch (event.type) {
    case 'state':
      session.setState(event.state);
      return;
    case 'history':
      useConversations.getState().setMessages(event.messages);
      return;
    case 'partial-transcript':
      session.set({ partialTranscript: event.text ?? '' });
      return;
    case 'assistant-start':
      session.set({ liveReply: { messageId: event.messageId, text: '', spokenChars: 0 } });
      return;
    case 'assistant-delta':
      session.set({ liveReply: { messageId: event.messageId, text: event.text, spokenChars: session.liveReply?.spokenChars ?? 0 } });
      return;
    case 'assistant-spoken':
      if (session.liveReply?.messageId === event.messageId) session.set({ liveReply: { ...session.liveReply, spokenChars: event.spokenChars } });
      return;
    case 'assistant-final':
      session.set({ liveReply: undefined });
      return;
    case 'timing':
    case 'turn-end':
      useTimings.getState().record(event.timing);
      return;
    case 'error':
      session.notify({ id: `error-${event.stage}`, level: 'error', text: `${STAGE_LABELS[event.stage]} failed: ${event.message}` });
      return;
    case 'notice':
      noticeFor(event.notice);
      return;
    case 'turn-start':
    case 'user-message':
      return;
  }
}

function noticeFor(notice: Extract<TurnManagerEvent, { type: 'notice' }>['notice']): void {
  const { notify } = useSession.getState();
  switch (notice.kind) {
    case 'utterance-capped':
      notify({
        id: 'utterance-capped',
        level: 'warning',
        text: `That was a long one: only the first ${notice.maxSeconds} seconds (of ${Math.round(notice.seconds)}) were used.`,
      });
      return;
    case 'reply-capped':
      notify({ id: 'reply-capped', level: 'info', text: 'The reply reached the length limit of this response mode and was cut.' });
      return;
    case 'no-speech':
    case 'barge-in':
    case 'barge-in-hold':
    case 'barge-in-released':
      return;
  }
}
