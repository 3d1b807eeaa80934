import { createServer, request as forward, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

// Bytes over the wire as a user's connection sees them: a proxy in front of the relay that counts
// each response's body as it passes (encoded, as sent) plus its status line and headers. The
// browser's own accounting misses the service worker's requests; this sees all of them.

export interface Transfer {
  path: string;
  status: number;
  contentEncoding: string | null;
  bytes: number;
}

export interface ByteCountingProxy {
  url: string;
  /** Completed responses so far. */
  transfers(): Transfer[];
  /** Resolves once no response has been in flight for `quietMs`. */
  settled(quietMs: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

function headerBytes(statusLine: string, headers: IncomingHttpHeaders): number {
  let bytes = statusLine.length + 2;
  for (const [name, value] of Object.entries(headers)) {
    for (const one of Array.isArray(value) ? value : [value ?? '']) bytes += name.length + 2 + String(one).length + 2;
  }
  return bytes + 2;
}

export async function startByteCountingProxy(target: string): Promise<ByteCountingProxy> {
  const upstream = new URL(target);
  const done: Transfer[] = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  const server = createServer((req, res) => {
    inFlight += 1;
    lastActivity = Date.now();
    const finish = () => {
      inFlight -= 1;
      lastActivity = Date.now();
    };
    const outbound = forward(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        const status = answer.statusCode ?? 502;
        let bytes = headerBytes(`HTTP/1.1 ${status} ${answer.statusMessage ?? ''}`, answer.headers);
        res.writeHead(status, answer.statusMessage, answer.headers);
        answer.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          lastActivity = Date.now();
        });
        answer.pipe(res);
        answer.on('end', () => {
          done.push({ path: req.url ?? '', status, contentEncoding: answer.headers['content-encoding'] ?? null, bytes });
          finish();
        });
        answer.on('error', finish);
      },
    );
    outbound.on('error', () => {
      res.writeHead(502).end();
      finish();
    });
    req.pipe(outbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    transfers: () => [...done],
    async settled(quietMs, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (inFlight > 0 || Date.now() - lastActivity < quietMs) {
        if (Date.now() > deadline) throw new Error(`still ${inFlight} responses in flight after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
