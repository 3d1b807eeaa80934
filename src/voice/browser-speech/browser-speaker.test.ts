import { describe, expect, it } from 'vitest';
import type { TurnManagerEvent } from '../events.ts';
import { combineSinks } from '../player/combined-sink.ts';
import { FakeAsr, FakeLlm, FakePlayer, FakeTts, settle, until } from '../testing/fakes.ts';
import { TurnManager } from '../turn-manager.ts';
import { BrowserSpeaker } from './browser-speaker.ts';
import { fakeSpeakerScope, FakeSynthesis, fakeVoice } from './testing/fake-web-speech.ts';

// The browser's speech synthesis speaking the voice loop's replies: sentence by sentence through
// the same pipeline as the model voice, with the same phases, timing and barge-in.

function setup(voices = [fakeVoice('Online', false), fakeVoice('Local', true)]) {
  const synth = new FakeSynthesis(voices);
  let clock = 0;
  const now = () => (clock += 10);
  const speaker = new BrowserSpeaker(fakeSpeakerScope(synth), now);
  const tts = new FakeTts();
  const manager = new TurnManager({
    engines: { asr: new FakeAsr(), llm: new FakeLlm(['Hello there. How are you today?']), tts, speaker },
    player: combineSinks(new FakePlayer(), speaker),
    settings: { splitter: { firstChunkMinWords: 0 } },
    listening: true,
    now,
  });
  const events: TurnManagerEvent[] = [];
  manager.subscribe((event) => events.push(event));
  return { synth, speaker, tts, manager, events };
}

describe('the browser speaker in the voice loop', () => {
  it('speaks each sentence with the on-device voice, never synthesising, and marks when it was heard', async () => {
    const t = setup();
    t.manager.submitText('Hi');
    await until(() => t.synth.spoken.length >= 1, 'first sentence spoken');
    expect(t.synth.spoken[0]!.voice?.name).toBe('Local');
    expect(t.manager.state).toBe('thinking');
    t.synth.spoken[0]!.start();
    await until(() => t.synth.spoken.length === 2, 'second sentence queued');
    expect(t.manager.state).toBe('speaking');
    t.synth.spoken[0]!.end();
    t.synth.spoken[1]!.start();
    t.synth.spoken[1]!.end();
    await t.manager.whenIdle();
    expect(t.synth.spoken.map((u) => u.text)).toEqual(['Hello there.', 'How are you today?']);
    expect(t.tts.calls).toEqual([]);
    expect(t.manager.messages.at(-1)?.content).toBe('Hello there. How are you today?');
    const end = t.events.findLast((e) => e.type === 'turn-end');
    expect(end?.type === 'turn-end' && end.outcome).toBe('completed');
    const marks = end?.type === 'turn-end' ? end.timing.marks : {};
    expect(marks.firstAudioReady).toBeDefined();
    expect(marks.firstAudioAudible).toBe(marks.firstAudioReady);
  });

  it('stops at a barge-in and keeps the words heard up to the word being spoken', async () => {
    const t = setup();
    t.manager.submitText('Hi');
    await until(() => t.synth.spoken.length === 2, 'two sentences queued');
    t.synth.spoken[0]!.start();
    t.synth.spoken[0]!.end();
    t.synth.spoken[1]!.start();
    t.synth.spoken[1]!.boundary('How are you '.length);
    await t.manager.interrupt();
    expect(t.synth.cancels).toBe(1);
    expect(t.manager.messages.at(-1)).toMatchObject({ content: 'Hello there. How are you', interrupted: true });
  });

  it('pauses while the user may be talking over it and resumes on a misfire', async () => {
    const t = setup();
    t.manager.submitText('Hi');
    await until(() => t.synth.spoken.length >= 1, 'spoken');
    t.synth.spoken[0]!.start();
    t.manager.handleVadEvent({ type: 'speech-start', at: 1 });
    expect(t.synth.paused).toBe(true);
    t.manager.handleVadEvent({ type: 'misfire', at: 2 });
    expect(t.synth.paused).toBe(false);
  });

  it('without an on-device voice it speaks nothing (no online voice) and says so; the reply stays as text', async () => {
    const t = setup([fakeVoice('Online', false)]);
    t.manager.submitText('Hi');
    await t.manager.whenIdle();
    await settle();
    expect(t.synth.spoken).toEqual([]);
    const error = t.events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ stage: 'tts', message: expect.stringContaining('no voice that speaks on this device') });
    expect(t.manager.messages.at(-1)?.content).toBe('Hello there. How are you today?');
  });
});
