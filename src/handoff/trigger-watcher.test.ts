import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDOFF_SETTINGS, type HandoffSettings } from './handoff-settings.ts';
import { TriggerWatcher } from './trigger-watcher.ts';

function watcher(patch: Partial<HandoffSettings> = {}) {
  const settings: HandoffSettings = { ...DEFAULT_HANDOFF_SETTINGS, ...patch };
  return { watch: new TriggerWatcher(() => settings), settings };
}

describe('the handoff triggers', () => {
  it('an explicit request, with the phrase as detail', () => {
    const { watch } = watcher();
    expect(watch.onUserMessage('I want to talk to a human agent, please.')).toEqual({
      kind: 'explicit_request',
      detail: 'talk to a human agent',
    });
  });

  it('a configured keyword', () => {
    const { watch, settings } = watcher({ keywords: ['refund'] });
    expect(watch.onUserMessage('I would like a refund.')).toEqual({ kind: 'keyword', detail: 'refund' });
    settings.keywords = [];
    expect(watch.onUserMessage('I would like a refund.')).toBeNull();
  });

  it('negative sentiment over the recent messages, not one outburst', () => {
    const { watch } = watcher({ sentimentWindow: 3, sentimentThreshold: 1.5 });
    expect(watch.onUserMessage('This is ridiculous, the worst service ever!')).toBeNull();
    expect(watch.onUserMessage('Where is my parcel?')).toBeNull();
    const reason = watch.onUserMessage('Useless. Absolutely terrible and stupid!');
    expect(reason?.kind).toBe('negative_sentiment');
    expect(reason?.detail).toMatch(/^sentiment -\d\.\d\d over the last 3 messages$/);
  });

  it('calm messages push old anger out of the window', () => {
    const { watch } = watcher({ sentimentWindow: 2, sentimentThreshold: 1.5 });
    watch.onUserMessage('This is ridiculous, the worst service ever!');
    watch.onUserMessage('OK.');
    expect(watch.onUserMessage('Useless. Absolutely terrible and stupid!')).toBeNull();
  });

  it('repeated failure: the assistant cannot help N times in a row', () => {
    const { watch } = watcher({ failureLimit: 3 });
    expect(watch.onAssistantReply("Sorry, I can't help with that.")).toBeNull();
    expect(watch.onAssistantReply("I don't know.")).toBeNull();
    expect(watch.onAssistantReply("I'm not able to do that.")).toEqual({
      kind: 'repeated_failure',
      detail: 'the assistant could not help 3 times in a row',
    });
    // The count starts again afterwards.
    expect(watch.onAssistantReply("Sorry, I can't help with that.")).toBeNull();
  });

  it('a helpful reply or a reset breaks the series', () => {
    const { watch } = watcher({ failureLimit: 2 });
    watch.onAssistantReply("Sorry, I can't help with that.");
    watch.onAssistantReply('The capital of France is Paris.');
    expect(watch.onAssistantReply("Sorry, I can't help with that.")).toBeNull();
    watch.reset();
    expect(watch.onAssistantReply("Sorry, I can't help with that.")).toBeNull();
  });

  it('empty transcripts count as failures too', () => {
    const { watch } = watcher({ failureLimit: 2 });
    expect(watch.onEmptyTranscript()).toBeNull();
    expect(watch.onEmptyTranscript()?.kind).toBe('repeated_failure');
  });

  it('the LLM’s transfer_to_human call', () => {
    const { watch } = watcher();
    expect(watch.onAssistantReply('One moment.\ntransfer_to_human(reason="billing")')).toEqual({
      kind: 'tool_call',
      detail: 'transfer_to_human(reason="billing")',
    });
  });

  it('none of them while handoff is turned off', () => {
    const { watch } = watcher({ enabled: false, failureLimit: 1 });
    expect(watch.onUserMessage('Let me talk to a person')).toBeNull();
    expect(watch.onAssistantReply('transfer_to_human()')).toBeNull();
    expect(watch.onEmptyTranscript()).toBeNull();
  });

  it('ordinary conversation triggers nothing', () => {
    const { watch } = watcher();
    expect(watch.onUserMessage('What is the capital of France?')).toBeNull();
    expect(watch.onAssistantReply('The capital of France is Paris.')).toBeNull();
    expect(watch.onUserMessage('Thanks, that is great!')).toBeNull();
  });
});
