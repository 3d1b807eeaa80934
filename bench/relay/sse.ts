// SSE subscribers for the fan-out scenario: each reads its stream and records, for every agent
// message, the delay from the sender's timestamp (in the text) to its arrival here.
export interface Subscriber {
  received: number;
  delays: number[];
  close(): void;
}

export async function subscribe(url: string, headers: Record<string, string>): Promise<Subscriber> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`SSE ${url}: ${response.status}`);
  const sub: Subscriber = { received: 0, delays: [], close: () => controller.abort() };
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const sent = /bench-sent-(\d+(?:\.\d+)?)/.exec(frame)?.[1];
          if (sent !== undefined) {
            sub.received += 1;
            sub.delays.push(performance.timeOrigin + performance.now() - Number(sent));
          }
        }
      }
    } catch {
      // aborted at the end of the scenario
    }
  })();
  return sub;
}
