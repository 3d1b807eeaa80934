// A Hugging Face hub stand-in for tests (the real one is unreachable from test machines): the tree
// API and `resolve/main/` URLs over node:http, with Range support, plus switches to misbehave the
// way real networks do (a socket cut mid-body, a server that ignores Range, corrupt bytes).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TreeEntry } from './select-files.ts';

/** repo id → path → content. */
export type FakeRepos = Record<string, Record<string, Buffer>>;

export interface FakeRequest {
  path: string;
  range: string | undefined;
  authorization: string | undefined;
}

// Weights are LFS files on the hub (their tree entry carries a SHA-256); configs are plain git blobs.
const LFS = /\.(onnx|onnx_data(_\d+)?|bin|wasm)$/;

function treeOf(files: Record<string, Buffer>): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const dirs = new Set<string>();
  for (const [path, bytes] of Object.entries(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    const gitOid = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    entries.push(
      LFS.test(path)
        ? { type: 'file', path, size: bytes.length, oid: gitOid, lfs: { oid: createHash('sha256').update(bytes).digest('hex'), size: bytes.length } }
        : { type: 'file', path, size: bytes.length, oid: gitOid },
    );
  }
  return [...[...dirs].map((path): TreeEntry => ({ type: 'directory', path, size: 0 })), ...entries];
}

export class FakeHub {
  readonly requests: FakeRequest[] = [];
  /** `repo/path` keys whose first download sends half the body, then drops the connection. */
  readonly cutOnce = new Set<string>();
  /** `repo/path` → how many more downloads send one flipped byte. */
  readonly corrupt = new Map<string, number>();
  /** Answer Range requests with the whole file (200), as some proxies do. */
  ignoreRange = false;
  private server: Server | null = null;
  private readonly cut = new Set<string>();

  constructor(
    private readonly repos: FakeRepos,
    /** `/libs/<name>`: stands in for WebLLM's compiled libraries on GitHub. */
    private readonly libs: Record<string, Buffer> = {},
  ) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the fake hub is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Downloads (not listings) of `repo/path`. */
  downloads(key: string): FakeRequest[] {
    return this.requests.filter((request) => request.path === key);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);
    const tree = /^\/api\/models\/(.+)\/tree\/main$/.exec(path);
    if (tree?.[1]) {
      const files = this.repos[tree[1]];
      if (!files) return void res.writeHead(404).end('{"error":"Repository not found"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(treeOf(files)));
      return;
    }
    const lib = /^\/libs\/(.+)$/.exec(path);
    const resolved = /^\/(.+?\/.+?)\/resolve\/main\/(.+)$/.exec(path);
    const key = lib?.[1] ? `libs/${lib[1]}` : resolved ? `${resolved[1]}/${resolved[2]}` : path;
    this.requests.push({ path: key, range: req.headers.range, authorization: req.headers.authorization });
    const bytes = lib?.[1] ? this.libs[lib[1]] : resolved?.[1] && resolved[2] ? this.repos[resolved[1]]?.[resolved[2]] : undefined;
    if (!bytes) return void res.writeHead(404).end('Entry not found');
    this.send(req, res, key, bytes);
  }

  private send(req: IncomingMessage, res: ServerResponse, key: string, original: Buffer): void {
    let bytes = original;
    const corruptLeft = this.corrupt.get(key) ?? 0;
    if (corruptLeft > 0) {
      this.corrupt.set(key, corruptLeft - 1);
      bytes = Buffer.from(original);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let start = 0;
    if (range && !this.ignoreRange) {
      start = Number(range[1]);
      if (start >= bytes.length) return void res.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
      res.writeHead(206, {
        'content-length': bytes.length - start,
        'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}`,
        'accept-ranges': 'bytes',
      });
    } else {
      res.writeHead(200, { 'content-length': bytes.length, 'accept-ranges': 'bytes' });
    }
    const body = bytes.subarray(start);
    if (this.cutOnce.has(key) && !this.cut.has(key)) {
      this.cut.add(key);
      // Half the body, a pause so the client has written it to its `.part`, then a dead socket.
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 100));
      return;
    }
    res.end(body);
  }
}
