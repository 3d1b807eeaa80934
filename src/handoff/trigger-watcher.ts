// Watches the conversation with the assistant and says when to hand it to a person, and why:
// an explicit request, a configured keyword, negative sentiment over the recent messages, the
// assistant failing too often in a row, or the LLM's `transfer_to_human` call. Pure: the
// controller feeds it what happened and acts on the reason it returns.
import type { HandoffReason } from '../protocol/conversation.ts';
import { saysCannotHelp } from './cannot-help.ts';
import { matchExplicitRequest } from './explicit-request.ts';
import type { HandoffSettings } from './handoff-settings.ts';
import { matchKeyword } from './keywords.ts';
import { recentSentiment } from './sentiment.ts';
import { findTransferCall } from './tool-call.ts';

export class TriggerWatcher {
  /** The caller's messages since the last reset (a handoff ending starts a fresh count). */
  private userMessages: string[] = [];
  private failures = 0;

  constructor(private readonly settings: () => HandoffSettings) {}

  /** Forget the past: after a handoff, the caller's earlier anger or failures have been dealt with. */
  reset(): void {
    this.userMessages = [];
    this.failures = 0;
  }

  /** A message from the caller, before the assistant answers it. */
  onUserMessage(text: string): HandoffReason | null {
    const settings = this.settings();
    this.userMessages = [...this.userMessages, text].slice(-20);
    if (!settings.enabled) return null;
    const phrase = matchExplicitRequest(text);
    if (phrase) return { kind: 'explicit_request', detail: phrase };
    const keyword = matchKeyword(text, settings.keywords);
    if (keyword) return { kind: 'keyword', detail: keyword };
    const window = Math.max(1, Math.floor(settings.sentimentWindow));
    const score = recentSentiment(this.userMessages, window);
    if (score <= -Math.abs(settings.sentimentThreshold)) {
      const counted = Math.min(window, this.userMessages.length);
      return { kind: 'negative_sentiment', detail: `sentiment ${score.toFixed(2)} over the last ${counted} message${counted === 1 ? '' : 's'}` };
    }
    return null;
  }

  /** The assistant's whole reply as the model wrote it (tool-call markup included). */
  onAssistantReply(text: string): HandoffReason | null {
    const settings = this.settings();
    if (!settings.enabled) return null;
    const call = findTransferCall(text);
    if (call) return { kind: 'tool_call', detail: call.detail };
    if (saysCannotHelp(text)) return this.failure(`the assistant could not help ${this.failures + 1} times in a row`);
    this.failures = 0;
    return null;
  }

  /** Speech recognition heard nothing usable in an utterance. */
  onEmptyTranscript(): HandoffReason | null {
    if (!this.settings().enabled) return null;
    return this.failure(`nothing usable was heard or answered ${this.failures + 1} times in a row`);
  }

  private failure(detail: string): HandoffReason | null {
    this.failures += 1;
    if (this.failures < Math.max(1, Math.floor(this.settings().failureLimit))) return null;
    this.failures = 0;
    return { kind: 'repeated_failure', detail };
  }
}
