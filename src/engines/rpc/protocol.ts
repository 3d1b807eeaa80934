// The messages that cross a worker boundary, defined once for both sides.
// One call = one id. The client sends `call` (and maybe `abort`); the worker answers with
// any number of `progress` and `yield` messages, then exactly one of `return` or `throw`.

export type CallId = number;

/** An error as it travels between threads (Error objects do not survive structured clone intact everywhere). */
export interface SerializedError {
  name: string;
  message: string;
  /** Machine-readable reason, e.g. `device-lost` (see StageErrorCode). */
  code?: string;
  stack?: string;
}

export type ClientMessage =
  /** `stream`: the client reads the result as a stream (a check against a stale `streams` list). */
  | { kind: 'call'; id: CallId; method: string; args: unknown; stream: boolean }
  | { kind: 'abort'; id: CallId; reason: string };

export type WorkerMessage =
  | { kind: 'progress'; id: CallId; data: unknown }
  | { kind: 'yield'; id: CallId; value: unknown }
  | { kind: 'return'; id: CallId; value: unknown }
  | { kind: 'throw'; id: CallId; error: SerializedError };

/** What a handler gets besides its arguments. */
export interface CallContext<P = never> {
  /** Aborted when the caller's AbortSignal fires (the abort crosses the thread boundary). */
  signal: AbortSignal;
  /** Sends a progress report to the caller's `onProgress`. (Method syntax on purpose: it keeps
   * handlers with a specific progress type assignable to the generic Handler.) */
  progress(data: P): void;
}

/**
 * A worker's handlers: one function per method, one (structured-cloneable) argument each.
 * A handler that returns an AsyncIterable is a stream; its items are sent as they come.
 */
export type Handler = (args: never, ctx: CallContext<never>) => Promise<unknown> | AsyncIterable<unknown>;
export type HandlerMap = Record<string, Handler>;

export interface CallOptions<P> {
  signal?: AbortSignal;
  onProgress?: (data: P) => void;
  /** Objects to transfer rather than copy (e.g. an audio buffer, a MessagePort). */
  transfer?: Transferable[];
}

type ArgsOf<F> = F extends (args: infer A, ctx: never) => unknown ? A : never;
type ProgressOf<F> = F extends (args: never, ctx: CallContext<infer P>) => unknown ? P : never;

/** The client-side view of a handler map: the same methods, with call options instead of a context. */
export type RemoteApi<H extends HandlerMap> = {
  [K in keyof H]: ReturnType<H[K]> extends AsyncIterable<infer T>
    ? (args: ArgsOf<H[K]>, options?: CallOptions<ProgressOf<H[K]>>) => AsyncIterable<T>
    : ReturnType<H[K]> extends Promise<infer R>
      ? (args: ArgsOf<H[K]>, options?: CallOptions<ProgressOf<H[K]>>) => Promise<R>
      : never;
};

/** The names of the streaming methods; the client must know them before the first reply arrives. */
export type StreamingMethods<H extends HandlerMap> = {
  [K in keyof H]: ReturnType<H[K]> extends AsyncIterable<unknown> ? K : never;
}[keyof H];

/** The thread-side surface both a Worker / DedicatedWorkerGlobalScope and a MessagePort offer. */
export interface RpcEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?: () => void;
}
