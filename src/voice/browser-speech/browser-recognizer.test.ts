import { beforeEach, describe, expect, it } from 'vitest';
import { settle } from '../testing/fakes.ts';
import { browserSpeechStages, detectBrowserSpeech } from './availability.ts';
import { BrowserRecognizer } from './browser-recognizer.ts';
import { FakeRecognition, FakeSynthesis, fakeVoice } from './testing/fake-web-speech.ts';

// The browser's recognizer on the microphone's track: one live session at a time, its words
// since the utterance began taken when the VAD ends the turn; and what counts as on-device.

const track = { kind: 'audio', readyState: 'live' } as MediaStreamTrack;
const audio = new Float32Array(16);

function recognizer(): BrowserRecognizer {
  const r = new BrowserRecognizer(FakeRecognition);
  r.attach(track);
  return r;
}

const session = (index: number) => FakeRecognition.sessions[index]!;

beforeEach(() => {
  FakeRecognition.sessions = [];
  FakeRecognition.asked = [];
  FakeRecognition.availability = 'available';
});

describe('BrowserRecognizer', () => {
  it('listens to the given track on this device only, continuously, with interim results', () => {
    recognizer();
    expect(session(0)).toMatchObject({ processLocally: true, continuous: true, interimResults: true, lang: 'en-US', track });
  });

  it('takes the words since the utterance began when the turn ends, then listens again', async () => {
    const r = recognizer();
    session(0).result(0, 'the reply echoed', true);
    r.utteranceStarted();
    session(0).result(1, 'what is the', false);
    session(0).result(1, 'what is the capital', false);
    const transcript = r.transcribe(audio);
    expect(session(0).stopped).toBe(true);
    session(0).result(1, 'what is the capital of France', true);
    session(0).end();
    await expect(transcript).resolves.toMatchObject({ text: 'what is the capital of France' });
    expect(FakeRecognition.sessions).toHaveLength(2);
  });

  it('keeps the words of a session that ended by itself mid-utterance', async () => {
    const r = recognizer();
    r.utteranceStarted();
    session(0).result(0, 'tell me', true);
    session(0).end();
    await settle();
    session(1).result(0, 'a story', true);
    const transcript = r.transcribe(audio);
    session(1).end();
    await expect(transcript).resolves.toMatchObject({ text: 'tell me a story' });
  });

  it('reports a recognizer that refuses to work instead of listening on', async () => {
    const r = recognizer();
    session(0).error('language-not-supported');
    session(0).end();
    await settle();
    await expect(r.transcribe(audio)).rejects.toThrow('language-not-supported');
  });
});

describe('what the browser can do on this device', () => {
  it('counts only local voices and a recognizer that says it runs locally', async () => {
    FakeRecognition.availability = 'downloadable';
    const synth = new FakeSynthesis([fakeVoice('Online', false), fakeVoice('Local', true), fakeVoice('Lokal', true, 'de-DE')]);
    const support = await detectBrowserSpeech({ speechSynthesis: synth as unknown as SpeechSynthesis, SpeechRecognition: FakeRecognition });
    expect(support.voices.map((voice) => voice.name)).toEqual(['Local']);
    expect(FakeRecognition.asked).toEqual([{ langs: ['en-US'], processLocally: true }]);
    expect(browserSpeechStages(support)).toEqual(['asr', 'tts']);
  });

  it('offers nothing where the browser has no on-device engine', async () => {
    FakeRecognition.availability = 'unavailable';
    const synth = new FakeSynthesis([fakeVoice('Online', false)]);
    const withoutLocal = await detectBrowserSpeech({ speechSynthesis: synth as unknown as SpeechSynthesis, SpeechRecognition: FakeRecognition });
    expect(browserSpeechStages(withoutLocal)).toEqual([]);
    // A recognizer that cannot say whether it runs locally (no available()) is not trusted to.
    const legacy = class extends FakeRecognition {};
    Object.defineProperty(legacy, 'available', { value: undefined });
    expect((await detectBrowserSpeech({ webkitSpeechRecognition: legacy })).recognition).toBe('unavailable');
  });
});
