// What the device sends with a handoff: the conversation so far in the relay's transcript
// shape, and a short extractive summary (the caller's first request and the latest exchanges)
// so the agent can start without reading everything. No model is involved.
import { MAX_TEXT_CHARS, MAX_TRANSCRIPT_ENTRIES, type HandoffReason, type TranscriptEntry } from '../protocol/conversation.ts';
import type { HistoryMessage } from '../voice/history.ts';
import { describeReason } from '../protocol/reason-label.ts';

export const MAX_SUMMARY_CHARS = 2000;
const QUOTE_CHARS = 240;
const LATEST_MESSAGES = 4;

export function toTranscript(messages: readonly HistoryMessage[]): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  for (const message of messages) {
    const text = message.content.trim();
    if (text === '') continue;
    entries.push({
      role: message.role === 'user' ? 'user' : message.agentName ? 'agent' : 'assistant',
      text: text.slice(0, MAX_TEXT_CHARS),
      ...(message.agentName ? { name: message.agentName.slice(0, 100) } : {}),
      at: new Date(message.createdAt).toISOString(),
    });
  }
  return entries.slice(-MAX_TRANSCRIPT_ENTRIES);
}

function quote(text: string): string {
  const clean = text.trim().replace(/\s+/gu, ' ');
  return `“${clean.length > QUOTE_CHARS ? `${clean.slice(0, QUOTE_CHARS - 1)}…` : clean}”`;
}

function speaker(message: HistoryMessage): string {
  if (message.role === 'user') return 'Caller';
  return message.agentName ? `${message.agentName} (agent)` : 'Assistant';
}

export function summarize(messages: readonly HistoryMessage[], reason: HandoffReason): string {
  const said = messages.filter((m) => m.content.trim() !== '');
  const firstRequest = said.find((m) => m.role === 'user');
  const lines = [`Why: ${describeReason(reason)}.`];
  if (firstRequest) lines.push(`First request: ${quote(firstRequest.content)}`);
  const latest = said.slice(-LATEST_MESSAGES).filter((m) => m !== firstRequest);
  if (latest.length > 0) {
    lines.push('Latest:');
    for (const message of latest) lines.push(`${speaker(message)}: ${quote(message.content)}`);
  }
  if (said.length === 0) lines.push('Nothing was said before the handoff.');
  const summary = lines.join('\n');
  return summary.length > MAX_SUMMARY_CHARS ? `${summary.slice(0, MAX_SUMMARY_CHARS - 1)}…` : summary;
}
