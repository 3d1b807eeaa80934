import type { CallContext, CallId, ClientMessage, HandlerMap, RpcEndpoint, WorkerMessage } from './protocol.ts';
import { serializeError } from './remote-error.ts';
import { transferListOf } from './transfer.ts';

/**
 * Serves `handlers` on `endpoint` (the worker's global scope, or a MessagePort in tests):
 * each incoming call runs its handler with an AbortSignal and a progress reporter; a promise's
 * value comes back as `return`, a stream's items as `yield` then `return`, failures as `throw`.
 * Returns a function that stops serving and aborts calls in flight.
 */
export function exposeWorker(handlers: HandlerMap, endpoint: RpcEndpoint): () => void {
  const inFlight = new Map<CallId, AbortController>();

  const post = (message: WorkerMessage, transfer: Transferable[] = []): void => {
    endpoint.postMessage(message, transfer);
  };

  const run = async (
    id: CallId,
    method: string,
    args: unknown,
    expectsStream: boolean,
    controller: AbortController,
  ): Promise<void> => {
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    if (!handler) throw new Error(`unknown method "${method}"`);
    const ctx: CallContext<unknown> = {
      signal: controller.signal,
      progress: (data) => post({ kind: 'progress', id, data }),
    };
    // The map is typed per method on the client side; here every handler takes what the client sent.
    const result = (handler as (args: unknown, ctx: CallContext<unknown>) => unknown)(args, ctx);
    if (isAsyncIterable(result) !== expectsStream) {
      // The client's `streams` list and the handler disagree; say so instead of losing values.
      throw new Error(`"${method}" ${expectsStream ? 'returns a promise' : 'streams'} but was called as ${expectsStream ? 'a stream' : 'a promise'}`);
    }
    if (isAsyncIterable(result)) {
      for await (const value of result) {
        if (controller.signal.aborted) break;
        post({ kind: 'yield', id, value }, transferListOf(value));
      }
      post({ kind: 'return', id, value: undefined });
    } else {
      const value = await result;
      post({ kind: 'return', id, value }, transferListOf(value));
    }
  };

  const onMessage = (event: MessageEvent): void => {
    const message = event.data as ClientMessage;
    if (message.kind === 'abort') {
      inFlight.get(message.id)?.abort(new DOMException(message.reason, 'AbortError'));
      return;
    }
    const controller = new AbortController();
    inFlight.set(message.id, controller);
    run(message.id, message.method, message.args, message.stream, controller)
      .catch((error: unknown) => post({ kind: 'throw', id: message.id, error: serializeError(error) }))
      .finally(() => inFlight.delete(message.id));
  };

  endpoint.addEventListener('message', onMessage);
  endpoint.start?.();
  return () => {
    endpoint.removeEventListener('message', onMessage);
    for (const controller of inFlight.values()) controller.abort(new DOMException('worker stopped', 'AbortError'));
    inFlight.clear();
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
