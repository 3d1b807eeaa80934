import { afterEach, describe, expect, it } from 'vitest';
import { exposeWorker } from './expose-worker.ts';
import type { CallContext } from './protocol.ts';
import { isAbortError, RemoteError } from './remote-error.ts';
import { transfer } from './transfer.ts';
import { createWorkerClient } from './worker-client.ts';

// A MessageChannel stands in for the worker boundary: port1 is the worker, port2 the main thread.

function abortable(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

type Handlers = {
  echo: (args: { text: string }) => Promise<string>;
  sum: (args: { values: Float32Array }) => Promise<{ total: number; byteLength: number }>;
  load: (args: { steps: number }, ctx: CallContext<{ step: number }>) => Promise<'ready'>;
  count: (args: { to: number }, ctx: CallContext) => AsyncIterable<number>;
  forever: (args: Record<string, never>, ctx: CallContext) => AsyncIterable<number>;
  hang: (args: Record<string, never>, ctx: CallContext) => Promise<never>;
  fail: (args: { code?: string }) => Promise<never>;
  failMidStream: (args: Record<string, never>) => AsyncIterable<number>;
  makeAudio: (args: { length: number }) => Promise<Float32Array>;
};

const workerSide = {
  aborts: [] as string[],
  lastReceived: null as Float32Array | null,
};

const handlers: Handlers = {
  echo: async ({ text }) => `echo: ${text}`,
  sum: async ({ values }) => {
    workerSide.lastReceived = values;
    return { total: values.reduce((a, b) => a + b, 0), byteLength: values.byteLength };
  },
  load: async ({ steps }, ctx) => {
    for (let step = 1; step <= steps; step++) ctx.progress({ step });
    return 'ready';
  },
  count: async function* ({ to }) {
    for (let i = 1; i <= to; i++) yield i;
  },
  forever: async function* (_args, ctx) {
    let i = 0;
    try {
      while (!ctx.signal.aborted) {
        yield i++;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    } finally {
      workerSide.aborts.push(`forever:${String(ctx.signal.aborted)}`);
    }
  },
  hang: async (_args, ctx) => {
    ctx.signal.addEventListener('abort', () => workerSide.aborts.push('hang'));
    return abortable(ctx.signal);
  },
  fail: async ({ code }) => {
    throw Object.assign(new Error('model file missing: onnx/encoder_model.onnx'), code ? { code } : {});
  },
  failMidStream: async function* () {
    yield 1;
    throw new Error('decoder exploded');
  },
  makeAudio: async ({ length }) => {
    const samples = new Float32Array(length).fill(0.5);
    return transfer(samples, [samples.buffer]);
  },
};

const channels: MessageChannel[] = [];

function connect() {
  const channel = new MessageChannel();
  channels.push(channel);
  const stop = exposeWorker(handlers, channel.port1);
  const client = createWorkerClient<Handlers>(channel.port2, {
    name: 'test',
    streams: { count: true, forever: true, failMidStream: true },
  });
  return { api: client.api, close: client.close, stop };
}

afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
  workerSide.aborts.length = 0;
  workerSide.lastReceived = null;
});

describe('worker RPC', () => {
  it('forwards a call and matches the reply by id', async () => {
    const { api } = connect();
    const [a, b] = await Promise.all([api.echo({ text: 'a' }), api.echo({ text: 'b' })]);
    expect([a, b]).toEqual(['echo: a', 'echo: b']);
  });

  it('reports progress through onProgress before the result', async () => {
    const { api } = connect();
    const seen: number[] = [];
    const result = await api.load({ steps: 3 }, { onProgress: (p) => seen.push(p.step) });
    expect(result).toBe('ready');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('streams a handler async iterable as an async iterable', async () => {
    const { api } = connect();
    const items: number[] = [];
    for await (const n of api.count({ to: 5 })) items.push(n);
    expect(items).toEqual([1, 2, 3, 4, 5]);
  });

  it('transfers audio to the worker instead of copying it', async () => {
    const { api } = connect();
    const audio = new Float32Array([0.25, 0.5, 0.25]);
    const result = await api.sum({ values: audio }, { transfer: [audio.buffer] });
    expect(result).toEqual({ total: 1, byteLength: 12 });
    expect(audio.byteLength).toBe(0); // detached: it moved
  });

  it('transfers a result the handler marked', async () => {
    const { api } = connect();
    const samples = await api.makeAudio({ length: 4 });
    expect(samples).toBeInstanceOf(Float32Array);
    expect(Array.from(samples)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('re-throws worker errors as Errors naming the method, keeping the code', async () => {
    const { api } = connect();
    const error: unknown = await api.fail({ code: 'device-lost' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).message).toBe('test.fail failed in worker: model file missing: onnx/encoder_model.onnx');
    expect((error as RemoteError).code).toBe('device-lost');
  });

  it('fails a stream that throws midway after the items before it', async () => {
    const { api } = connect();
    const items: number[] = [];
    const error = await (async () => {
      for await (const n of api.failMidStream({})) items.push(n);
    })().catch((e: unknown) => e);
    expect(items).toEqual([1]);
    expect((error as Error).message).toContain('decoder exploded');
  });

  it('rejects at once on abort and aborts the handler signal in the worker', async () => {
    const { api } = connect();
    const controller = new AbortController();
    const call = api.hang({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    const error = await call.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    await expect.poll(() => workerSide.aborts).toEqual(['hang']);
  });

  it('rejects without calling when the signal is already aborted', async () => {
    const { api } = connect();
    const error = await api.echo({ text: 'x' }, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
  });

  it('ends a stream with AbortError on abort and stops the producer', async () => {
    const { api } = connect();
    const controller = new AbortController();
    const items: number[] = [];
    const error = await (async () => {
      for await (const n of api.forever({}, { signal: controller.signal })) {
        items.push(n);
        if (n === 3) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(items).toEqual([0, 1, 2, 3]);
    await expect.poll(() => workerSide.aborts).toEqual(['forever:true']);
  });

  it('stops the producer when the consumer breaks out of the loop', async () => {
    const { api } = connect();
    for await (const n of api.forever({})) if (n === 2) break;
    await expect.poll(() => workerSide.aborts).toEqual(['forever:true']);
  });

  it('rejects arguments that cannot cross the boundary, without leaving the call pending', async () => {
    const { api } = connect();
    const bad = { text: (() => 'x') as unknown as string };
    await expect(api.echo(bad)).rejects.toThrow(/could not be cloned/);
    expect(await api.echo({ text: 'still fine' })).toBe('echo: still fine');
  });

  it('says so when the client reads a method the wrong way (stale streams list)', async () => {
    const channel = new MessageChannel();
    channels.push(channel);
    exposeWorker(handlers, channel.port1);
    const client = createWorkerClient<Handlers>(channel.port2, { name: 'test', streams: {} as never });
    await expect(client.api.count({ to: 2 }) as unknown as Promise<unknown>).rejects.toThrow(
      '"count" streams but was called as a promise',
    );
  });

  it('names an unknown method in the error', async () => {
    const { api } = connect();
    const rogue = api as unknown as { nope: (args: object) => Promise<unknown> };
    await expect(rogue.nope({})).rejects.toThrow('test.nope failed in worker: unknown method "nope"');
  });

  it('rejects pending calls when the client is closed (worker crashed or terminated)', async () => {
    const { api, close } = connect();
    const call = api.hang({});
    close(new Error('asr worker crashed'));
    await expect(call).rejects.toThrow('asr worker crashed');
    await expect(api.echo({ text: 'late' })).rejects.toThrow('asr worker crashed');
  });
});
