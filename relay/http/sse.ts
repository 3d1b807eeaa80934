export interface SseMessage {
  event?: string;
  id?: string;
  data: string;
}

export interface SseSink {
  send(message: SseMessage): void;
  comment(text: string): void;
  /** Aborted when the client goes away or the relay shuts down. */
  signal: AbortSignal;
}

function format(message: SseMessage): string {
  const lines: string[] = [];
  if (message.event) lines.push(`event: ${message.event.replace(/[\r\n]/g, '')}`);
  if (message.id) lines.push(`id: ${message.id.replace(/[\r\n]/g, '')}`);
  for (const line of message.data.split(/\r\n|\r|\n/)) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}

/**
 * A `text/event-stream` response driven by `run`. The stream ends when `run` returns, when
 * the client disconnects, or when `shutdown` fires (so the relay can stop promptly).
 */
export function sseResponse(run: (sink: SseSink) => Promise<void>, shutdown?: AbortSignal, retryMs = 2000): Response {
  const controller = new AbortController();
  const encoder = new TextEncoder();
  const onShutdown = () => controller.abort();
  shutdown?.addEventListener('abort', onShutdown, { once: true });
  const stream = new ReadableStream<Uint8Array>({
    start(out) {
      let open = true;
      const write = (text: string) => {
        if (!open || controller.signal.aborted) return;
        try {
          out.enqueue(encoder.encode(text));
        } catch {
          controller.abort();
        }
      };
      const sink: SseSink = {
        send: (message) => write(format(message)),
        comment: (text) => write(`: ${text.replace(/[\r\n]/g, ' ')}\n\n`),
        signal: controller.signal,
      };
      write(`retry: ${retryMs}\n\n`);
      run(sink)
        .catch(() => {})
        .finally(() => {
          shutdown?.removeEventListener('abort', onShutdown);
          open = false;
          try {
            out.close();
          } catch {
            // already cancelled by the client
          }
        });
    },
    cancel() {
      controller.abort();
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    },
  });
}
