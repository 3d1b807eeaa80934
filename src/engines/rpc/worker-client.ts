import { AsyncQueue } from '../../lib/async-queue.ts';
import type {
  CallId,
  CallOptions,
  ClientMessage,
  HandlerMap,
  RemoteApi,
  RpcEndpoint,
  StreamingMethods,
  WorkerMessage,
} from './protocol.ts';
import { RemoteError, abortError } from './remote-error.ts';

/** A pending call as the client tracks it until the worker's final reply. */
interface PendingCall {
  method: string;
  onProgress: ((data: unknown) => void) | undefined;
  /** Streams get a queue; plain calls get resolve/reject. */
  queue?: AsyncQueue<unknown>;
  resolve?: (value: unknown) => void;
  reject?: (error: unknown) => void;
  detach: () => void;
}

export interface WorkerClientOptions<H extends HandlerMap> {
  /** Every streaming method, by name; the record type makes forgetting one a type error. */
  streams: { [K in StreamingMethods<H>]: true };
  /** Prefix for error messages, e.g. `asr` gives `asr.transcribe failed in worker: ...`. */
  name: string;
}

export interface WorkerClient<H extends HandlerMap> {
  api: RemoteApi<H>;
  /** Rejects every pending call with `error` and stops listening (the owner terminates the worker). */
  close: (error?: Error) => void;
}

/**
 * The calling side of the RPC layer: each method call posts `call` with a fresh id and settles
 * from the matching replies. Aborting the signal rejects at once on this side (barge-in must not
 * wait for the worker) and tells the worker to abort the handler's signal.
 */
export function createWorkerClient<H extends HandlerMap>(
  endpoint: RpcEndpoint,
  options: WorkerClientOptions<H>,
): WorkerClient<H> {
  const pending = new Map<CallId, PendingCall>();
  const streaming = new Set<string>(Object.keys(options.streams));
  let nextId = 1;
  let closedWith: Error | null = null;

  const post = (message: ClientMessage, transfer: Transferable[] = []): void => {
    endpoint.postMessage(message, transfer);
  };

  const settle = (id: CallId): PendingCall | undefined => {
    const call = pending.get(id);
    if (call) {
      pending.delete(id);
      call.detach();
    }
    return call;
  };

  const onMessage = (event: MessageEvent): void => {
    const message = event.data as WorkerMessage;
    const call = pending.get(message.id);
    if (!call) return; // a reply to a call already aborted or settled
    switch (message.kind) {
      case 'progress':
        call.onProgress?.(message.data);
        return;
      case 'yield':
        call.queue?.push(message.value);
        return;
      case 'return':
        settle(message.id);
        if (call.queue) call.queue.end();
        else call.resolve?.(message.value);
        return;
      case 'throw': {
        settle(message.id);
        const error =
          message.error.name === 'AbortError'
            ? abortError(message.error.message)
            : new RemoteError(`${options.name}.${call.method}`, message.error);
        if (call.queue) call.queue.fail(error);
        else call.reject?.(error);
        return;
      }
    }
  };

  const failAll = (error: Error): void => {
    for (const id of [...pending.keys()]) {
      const call = settle(id);
      if (call?.queue) call.queue.fail(error);
      else call?.reject?.(error);
    }
  };

  // A worker whose script fails to load or throws outside a handler reports here; without this
  // every pending call would hang forever.
  const onError = (event: Event): void => {
    const detail = (event as ErrorEvent).message || 'worker failed (script error or crash)';
    failAll(new Error(`${options.name} worker error: ${detail}`));
  };

  endpoint.addEventListener('message', onMessage);
  (endpoint as { addEventListener(type: string, listener: (event: Event) => void): void }).addEventListener(
    'error',
    onError,
  );
  endpoint.start?.();

  const start = (method: string, args: unknown, callOptions: CallOptions<unknown>, call: PendingCall): void => {
    const id = nextId++;
    const { signal } = callOptions;
    if (closedWith) throw closedWith;
    if (signal?.aborted) throw signal.reason ?? abortError(`${method} aborted`);
    const onAbort = (): void => {
      const settled = settle(id);
      if (!settled) return;
      const reason: unknown = signal?.reason ?? abortError(`${method} aborted`);
      post({ kind: 'abort', id, reason: reason instanceof Error ? reason.message : String(reason) });
      if (settled.queue) settled.queue.fail(reason);
      else settled.reject?.(reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    call.detach = () => signal?.removeEventListener('abort', onAbort);
    pending.set(id, call);
    if (call.queue) call.queue.onReturn = () => {
      // The consumer stopped reading: stop the producer too.
      if (settle(id)) post({ kind: 'abort', id, reason: `${method}: consumer stopped reading` });
    };
    try {
      post({ kind: 'call', id, method, args, stream: call.queue !== undefined }, callOptions.transfer ?? []);
    } catch (error) {
      // Arguments that cannot be cloned (a function, say) never reach the worker.
      settle(id);
      throw error;
    }
  };

  const callPromise = (method: string, args: unknown, callOptions: CallOptions<unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      start(method, args, callOptions, { method, onProgress: callOptions.onProgress, resolve, reject, detach: noop });
    });

  const callStream = (method: string, args: unknown, callOptions: CallOptions<unknown> = {}): AsyncIterable<unknown> => {
    const queue = new AsyncQueue<unknown>();
    try {
      start(method, args, callOptions, { method, onProgress: callOptions.onProgress, queue, detach: noop });
    } catch (error) {
      queue.fail(error);
    }
    return queue;
  };

  const api = new Proxy(
    {},
    {
      get: (_target, property) => {
        if (typeof property !== 'string') return undefined;
        // `then` must stay undefined or `await client.api` would treat the proxy as a promise.
        if (property === 'then') return undefined;
        return streaming.has(property)
          ? (args: unknown, callOptions?: CallOptions<unknown>) => callStream(property, args, callOptions)
          : (args: unknown, callOptions?: CallOptions<unknown>) => callPromise(property, args, callOptions);
      },
    },
  ) as RemoteApi<H>;

  return {
    api,
    close: (error = new Error(`${options.name} worker closed`)) => {
      closedWith = error;
      failAll(error);
      endpoint.removeEventListener('message', onMessage);
    },
  };
}

function noop(): void {}
