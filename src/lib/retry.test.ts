import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, parseRetryAfter, retryAfterMsOf, retryDelay, sleep, withRetry } from './retry.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('backoffDelay', () => {
  it('doubles from the base up to the cap', () => {
    const backoff = { baseMs: 1000, maxMs: 5000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, backoff))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay(0, backoff)).toBe(1000);
    expect(backoffDelay(10, { baseMs: 1 })).toBe(512);
  });

  it('with equal jitter waits between half and all of the delay', () => {
    expect(backoffDelay(2, { baseMs: 1000, jitter: 'equal', random: () => 0 })).toBe(1000);
    expect(backoffDelay(2, { baseMs: 1000, jitter: 'equal', random: () => 0.999999 })).toBeCloseTo(2000, 0);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
  });

  it('is honoured when the server asks for longer than the backoff', () => {
    expect(retryDelay(1, { baseMs: 1000 }, 30_000)).toBe(30_000);
    expect(retryDelay(3, { baseMs: 1000 }, 500)).toBe(4000);
    expect(retryAfterMsOf({ retryAfterMs: 7 })).toBe(7);
    expect(retryAfterMsOf(new Error('x'))).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('tries until it succeeds, waiting the backoff in between', async () => {
    vi.useFakeTimers();
    const waits: number[] = [];
    let calls = 0;
    const result = withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error(`fail ${calls}`);
        return 'ok';
      },
      { attempts: 5, baseMs: 100, onRetry: (_error, waitMs) => waits.push(waitMs) },
    );
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toBe('ok');
    expect(waits).toEqual([100, 200]);
  });

  it('throws the last error when the tries are spent, and at once when it is not worth retrying', async () => {
    let calls = 0;
    const fail = async (): Promise<never> => {
      calls += 1;
      throw new Error(`fail ${calls}`);
    };
    await expect(withRetry(fail, { attempts: 3, baseMs: 0 })).rejects.toThrow('fail 3');
    calls = 0;
    await expect(withRetry(fail, { attempts: 3, baseMs: 0, retryable: () => false })).rejects.toThrow('fail 1');
  });

  it('waits as long as the error says the server asked', async () => {
    vi.useFakeTimers();
    const waits: number[] = [];
    let calls = 0;
    const result = withRetry(
      async () => {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error('busy'), { retryAfterMs: 5000 });
        return calls;
      },
      { attempts: 2, baseMs: 10, onRetry: (_error, waitMs) => waits.push(waitMs) },
    );
    await vi.advanceTimersByTimeAsync(4999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe(2);
    expect(waits).toEqual([5000]);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const result = withRetry(
      async () => {
        throw new Error('down');
      },
      { attempts: 5, baseMs: 60_000, signal: controller.signal, onRetry: () => controller.abort(new Error('stopped')) },
    );
    await expect(result).rejects.toThrow('stopped');
    await expect(sleep(10, controller.signal)).rejects.toThrow('stopped');
  });
});
