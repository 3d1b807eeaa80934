import { describe, expect, it } from 'vitest';
import { DownloadError } from './download-errors.ts';
import { fetchRest, type PartialSink } from './range-download.ts';

const FILE = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

class MemorySink implements PartialSink {
  bytes: number[] = [];
  restarts = 0;
  constructor(initial: number[] = []) {
    this.bytes = [...initial];
  }
  append(chunk: Uint8Array): void {
    this.bytes.push(...chunk);
  }
  restart(): void {
    this.restarts += 1;
    this.bytes = [];
  }
}

/** A server for FILE: honours Range unless told not to. */
function server(options: { range?: boolean; status?: number; headers?: Record<string, string>; contentRangeStart?: number; body?: Uint8Array<ArrayBuffer> } = {}) {
  const requests: Record<string, string>[] = [];
  const fetch = async (_url: string, init: RequestInit): Promise<Response> => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    requests.push(headers);
    if (options.status) return new Response('no', { status: options.status, headers: options.headers });
    const from = Number(/^bytes=(\d+)-$/.exec(headers.range ?? '')?.[1] ?? 0);
    const body = options.body ?? FILE;
    if (from > 0 && options.range !== false) {
      const start = options.contentRangeStart ?? from;
      return new Response(body.slice(from), { status: 206, headers: { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } });
    }
    return new Response(body, { status: 200, headers: { 'content-length': String(body.length) } });
  };
  return { fetch, requests };
}

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as DownloadError);

describe('fetchRest', () => {
  it('resumes after the bytes kept with a Range request', async () => {
    const s = server();
    const sink = new MemorySink([0, 1, 2, 3]);
    const progress: number[] = [];
    expect(await fetchRest('u', 'f', sink, { from: 4, bytes: 10, fetch: s.fetch, onBytes: (have) => progress.push(have) })).toBe(10);
    expect(s.requests[0]).toEqual({ range: 'bytes=4-' });
    expect(sink.bytes).toEqual([...FILE]);
    expect(progress[0]).toBe(4);
    expect(progress.at(-1)).toBe(10);
  });

  it('starts over when the server ignores Range, or resumes at the wrong place', async () => {
    const sink = new MemorySink([0, 1, 2, 3]);
    expect(await fetchRest('u', 'f', sink, { from: 4, bytes: 10, fetch: server({ range: false }).fetch })).toBe(10);
    expect(sink.bytes).toEqual([...FILE]);
    expect(sink.restarts).toBe(1);

    const wrong = new MemorySink([0, 1, 2, 3]);
    const error = await failure(fetchRest('u', 'f', wrong, { from: 4, bytes: 10, fetch: server({ contentRangeStart: 2 }).fetch }));
    expect(error).toMatchObject({ reason: 'incomplete', transient: true });
    expect(wrong.bytes).toEqual([]);
  });

  it('starts over when the server refuses to resume (416)', async () => {
    const sink = new MemorySink([0, 1, 2, 3]);
    const error = await failure(fetchRest('u', 'f', sink, { from: 4, bytes: 10, fetch: server({ status: 416 }).fetch }));
    expect(error).toMatchObject({ reason: 'incomplete', transient: true });
    expect(sink.bytes).toEqual([]);
  });

  it('says whether an HTTP error is worth another try, and how long the server asked to wait', async () => {
    const busy = await failure(fetchRest('u', 'f', new MemorySink(), { from: 0, bytes: 10, fetch: server({ status: 503, headers: { 'retry-after': '7' } }).fetch }));
    expect(busy).toBeInstanceOf(DownloadError);
    expect(busy).toMatchObject({ reason: 'http', status: 503, retryAfterMs: 7000, transient: true });
    const gone = await failure(fetchRest('u', 'f', new MemorySink(), { from: 0, bytes: 10, fetch: server({ status: 404 }).fetch, httpMessage: (status) => `HTTP ${status}: no such file` }));
    expect(gone).toMatchObject({ reason: 'http', status: 404, transient: false, message: 'HTTP 404: no such file' });
  });

  it('throws away a body longer than listed, and reports one shorter than listed', async () => {
    const sink = new MemorySink();
    expect(await failure(fetchRest('u', 'f', sink, { from: 0, bytes: 5, fetch: server().fetch }))).toMatchObject({ reason: 'corrupt' });
    expect(sink.bytes).toEqual([]);
    const short = await failure(fetchRest('u', 'f', new MemorySink(), { from: 0, bytes: 12, fetch: server().fetch }));
    expect(short).toMatchObject({ reason: 'incomplete', message: 'f: the connection ended after 10 of 12 bytes.' });
  });

  it('turns a request that never got an answer into a transient network failure, but rethrows an abort', async () => {
    const offline = async (): Promise<Response> => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    };
    const error = await failure(fetchRest('u', 'f', new MemorySink(), { from: 0, bytes: 10, fetch: offline }));
    expect(error).toMatchObject({ reason: 'network', transient: true, message: 'Could not reach the model source for f (fetch failed (ECONNREFUSED))' });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const aborted = await failure(fetchRest('u', 'f', new MemorySink(), { from: 0, bytes: 10, signal: controller.signal, fetch: offline }));
    expect(aborted).not.toBeInstanceOf(DownloadError);
  });
});
