import { describe, expect, it } from 'vitest';
import { abortableIterable, Notifier, raceAbort } from './abortable.ts';
import { AsyncQueue } from '../lib/async-queue.ts';
import { DEFAULT_VOICE_SETTINGS, withDefaults } from './settings.ts';
import { spokenText } from './transcript-filter.ts';
import { capUtterance } from './utterance-cap.ts';

describe('spokenText', () => {
  it.each([
    ['Hello there.', 'Hello there.'],
    ['  What is 2 plus 2?  ', 'What is 2 plus 2?'],
    ['[BLANK_AUDIO] Turn on the light', 'Turn on the light'],
    ['(upbeat music) Hi', 'Hi'],
    ['42', '42'],
    ['Thank you.', 'Thank you.'],
  ])('keeps %j', (input, expected) => {
    expect(spokenText(input)).toBe(expected);
  });

  it.each(['', '   ', '.', '...', '[BLANK_AUDIO]', '[ Silence ]', '(wind)', '*coughs*', '♪♪♪', 'You', ' you.', 'Thanks for watching!', 'Please subscribe.'])(
    'drops %j',
    (input) => {
      expect(spokenText(input)).toBeNull();
    },
  );
});

describe('capUtterance', () => {
  it('passes short audio through untouched', () => {
    const audio = new Float32Array(16000);
    expect(capUtterance(audio, 2)).toEqual({ audio, capped: false, seconds: 1 });
  });

  it('keeps the beginning of long audio', () => {
    const audio = Float32Array.from({ length: 48000 }, (_, i) => i);
    const capped = capUtterance(audio, 1);
    expect(capped.capped).toBe(true);
    expect(capped.seconds).toBe(3);
    expect(capped.audio.length).toBe(16000);
    expect(capped.audio[15999]).toBe(15999);
  });
});

describe('AsyncQueue', () => {
  it('delivers pushed items in order and ends on end()', async () => {
    const queue = new AsyncQueue<number>();
    const seen: number[] = [];
    const done = (async () => {
      for await (const item of queue) seen.push(item);
    })();
    queue.push(1);
    queue.push(2);
    await Promise.resolve();
    queue.push(3);
    queue.end();
    queue.push(4);
    await done;
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('abortable', () => {
  it('rejects a pending promise when the signal aborts', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const raced = raceAbort(never, controller.signal);
    controller.abort();
    await expect(raced).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('passes the value through when no abort comes', async () => {
    await expect(raceAbort(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });

  it('stops iterating a source that hangs, and asks it to return', async () => {
    const controller = new AbortController();
    let returned = false;
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => (controller.signal.aborted ? new Promise(() => {}) : Promise.resolve({ value: 1, done: false })),
        return: async () => {
          returned = true;
          return { value: undefined, done: true };
        },
      }),
    };
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of abortableIterable(source, controller.signal)) {
          seen.push(value);
          if (seen.length === 2) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 1]);
    expect(returned).toBe(true);
  });

  it('Notifier wakes waiters on notify and on abort', async () => {
    const notifier = new Notifier();
    const controller = new AbortController();
    let woken = 0;
    void notifier.wait(controller.signal).then(() => (woken += 1));
    notifier.notify();
    await Promise.resolve();
    await Promise.resolve();
    expect(woken).toBe(1);
    void notifier.wait(controller.signal).then(() => (woken += 1));
    controller.abort();
    await Promise.resolve();
    await Promise.resolve();
    expect(woken).toBe(2);
  });
});

describe('settings', () => {
  it('fills in defaults and merges nested ones', () => {
    const settings = withDefaults({ maxTokens: { fast: 10 } as never, voice: 'x' });
    expect(settings.maxTokens).toEqual({ ...DEFAULT_VOICE_SETTINGS.maxTokens, fast: 10 });
    expect(settings.voice).toBe('x');
    expect(settings.halfDuplex).toBe(false);
  });
});
