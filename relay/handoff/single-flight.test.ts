import { describe, expect, it } from 'vitest';
import { Wakeup } from './event-bus.ts';
import { nextMoment, SingleFlight } from './single-flight.ts';

/** A read that resolves when told to; counts how often it ran. */
function controlledRead() {
  const pending: ((value: string) => void)[] = [];
  let runs = 0;
  return {
    read: () => {
      runs += 1;
      const n = runs;
      return new Promise<string>((resolve) => pending.push(() => resolve(`read ${n}`)));
    },
    finishAll: () => pending.splice(0).forEach((finish) => finish('')),
    get runs() {
      return runs;
    },
  };
}

describe('nextMoment', () => {
  it('is strictly increasing, however close together the calls', () => {
    const moments = Array.from({ length: 1000 }, () => nextMoment());
    for (let i = 1; i < moments.length; i++) expect(moments[i]).toBeGreaterThan(moments[i - 1]!);
  });
});

describe('SingleFlight', () => {
  it('shares one read among askers whose moment came before it started', async () => {
    const flight = new SingleFlight<string>();
    const r = controlledRead();
    // Three streams woken by one notification: their moments are all taken before any read starts.
    const [a, b, c] = [nextMoment(), nextMoment(), nextMoment()];
    const results = [flight.run('k', a, r.read), flight.run('k', b, r.read), flight.run('k', c, r.read)];
    expect(r.runs).toBe(1);
    r.finishAll();
    expect(await Promise.all(results)).toEqual(['read 1', 'read 1', 'read 1']);
  });

  it('never joins a read that started before the asker needed fresh data', async () => {
    const flight = new SingleFlight<string>();
    const r = controlledRead();
    const first = flight.run('k', nextMoment(), r.read);
    // Woken after the first read was handed to the database: that read may predate the commit
    // that woke this asker, so it must get a read of its own.
    const wokenLater = nextMoment();
    const second = flight.run('k', wokenLater, r.read);
    expect(r.runs).toBe(2);
    // A third asker woken before the second read started joins that one, not the first.
    const third = flight.run('k', wokenLater, r.read);
    expect(r.runs).toBe(2);
    r.finishAll();
    expect(await Promise.all([first, second, third])).toEqual(['read 1', 'read 2', 'read 2']);
  });

  it('keeps different keys apart and forgets reads once they end', async () => {
    const flight = new SingleFlight<string>();
    const r = controlledRead();
    const since = nextMoment();
    const x = flight.run('x', since, r.read);
    const y = flight.run('y', since, r.read);
    expect(r.runs).toBe(2);
    expect(flight.size).toBe(2);
    r.finishAll();
    await Promise.all([x, y]);
    expect(flight.size).toBe(0);
    // Ended: the same moment now starts a new read rather than reusing an old answer.
    const again = flight.run('x', since, r.read);
    expect(r.runs).toBe(3);
    r.finishAll();
    expect(await again).toBe('read 3');
  });

  it('passes a failure to every asker of that read, and the next asker starts afresh', async () => {
    const flight = new SingleFlight<string>();
    let fail = true;
    let runs = 0;
    const read = async () => {
      runs += 1;
      await Promise.resolve();
      if (fail) throw new Error('database gone');
      return 'ok';
    };
    const since = nextMoment();
    const both = [flight.run('k', since, read), flight.run('k', since, read)];
    await expect(Promise.all(both)).rejects.toThrow('database gone');
    await expect(both[1]).rejects.toThrow('database gone');
    expect(runs).toBe(1);
    fail = false;
    await expect(flight.run('k', since, read)).resolves.toBe('ok');
    expect(runs).toBe(2);
  });
});

describe('Wakeup', () => {
  it('resolves with the moment of the wake-up, so streams woken together can share a read started after', async () => {
    const signal = new AbortController().signal;
    const one = new Wakeup();
    const two = new Wakeup();
    const waiting = [one.wait(60_000, signal), two.wait(60_000, signal)];
    const beforeWake = nextMoment();
    one.wake();
    two.wake();
    const [a, b] = await Promise.all(waiting);
    expect(a).toBeGreaterThan(beforeWake);
    expect(b).toBeGreaterThan(a!);
    // A read started now (after both resumed) started after both wake-ups: both may join it.
    const flight = new SingleFlight<string>();
    const r = controlledRead();
    const shared = [flight.run('k', a!, r.read), flight.run('k', b!, r.read)];
    expect(r.runs).toBe(1);
    r.finishAll();
    await Promise.all(shared);
  });

  it('keeps the latest of several wake-ups before a wait', async () => {
    const wakeup = new Wakeup();
    wakeup.wake();
    const between = nextMoment();
    wakeup.wake();
    expect(await wakeup.wait(60_000, new AbortController().signal)).toBeGreaterThan(between);
  });

  it('resolves with null on timeout and on abort', async () => {
    const wakeup = new Wakeup();
    expect(await wakeup.wait(1, new AbortController().signal)).toBeNull();
    const controller = new AbortController();
    const waiting = wakeup.wait(60_000, controller.signal);
    controller.abort();
    expect(await waiting).toBeNull();
  });
});
