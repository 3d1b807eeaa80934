import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubRepos, type HubFile } from './fake-hub-repos.ts';

// A stand-in for the Hugging Face hub, its CDN and WebLLM's library host: one local HTTPS server
// that Chromium reaches under the real host names (--host-resolver-rules), so the app's real hub
// code runs unchanged: CSP and COEP see the real origins, redirects are followed by the browser
// (Playwright's routes cannot do that: a request a fulfilled 302 leads to is never routed), and
// CORS preflights are answered here as the hub answers them. What it sends copies the hub
// (captures from 2024-2026):
// - `GET /api/models/<id>/tree/main?recursive=true`: JSON rows, paged with `Link: <…>; rel="next"`;
// - `GET /<id>/resolve/main/<file>`: an LFS file 302s to a signed CDN URL (x-linked-size,
//   x-linked-etag), a git file 307s to `/api/resolve-cache/…` on the same host; a file the repo
//   lacks is 404 EntryNotFound, a repo it lacks 401 RepoNotFound;
// - the hub echoes the Origin in access-control-allow-origin and exposes Link, ETag, Content-Range…;
//   the CDN answers `*` to both, and byte ranges everywhere.

export const HUB = 'https://huggingface.co';
/** The CDN host the hub's LFS redirects pointed at in 2026 (signed xet-bridge URLs). */
export const CDN = 'https://us.aws.cdn.hf.co';
/** WebLLM's compiled model libraries (`model_lib` of its prebuilt records). */
export const WEBLLM_LIBRARY_HOST = 'https://raw.githubusercontent.com';

const HUB_EXPOSED = 'X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,Accept-Ranges,Content-Range,X-Linked-Size,X-Linked-ETag,X-Xet-Hash';
const COMMIT = 'e2e0000000000000000000000000000000000000';

export interface FakeHubRequest {
  url: string;
  method: string;
  status: number;
  range?: string;
}

export interface FakeHubOptions {
  /** Hub id -> fixture folder served as that repository. */
  folders: Record<string, string>;
  /** Hub id -> files given inline (a repository the fixtures have no folder for). */
  files?: Record<string, Record<string, string | Buffer>>;
  /** Rows per page of the tree API (the hub's is 1000; small here so that paging runs). */
  pageSize?: number;
  /**
   * Files (`<hub id>/<path>`) whose first download from the CDN breaks off halfway, the
   * connection dropped: the app must resume with a Range request through the hub's redirect.
   */
  cutOnce?: string[];
}

/** `cut`: send the head and half the body, then drop the connection. */
type Reply = { status: number; headers?: Record<string, string>; body?: string | Buffer; cut?: boolean };

/** A throwaway self-signed certificate (Chromium runs with --ignore-certificate-errors). */
function certificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-hub-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=huggingface.co'], { stdio: 'ignore' });
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class FakeHub {
  /** Every request the fake hosts answered, in order (a request CSP blocks never arrives). */
  readonly requests: FakeHubRequest[] = [];
  private readonly repos = new HubRepos();
  private readonly pageSize: number;
  private readonly toCut: Set<string>;
  private server: Server | undefined;
  private port = 0;

  constructor(options: FakeHubOptions) {
    this.pageSize = options.pageSize ?? 4;
    this.toCut = new Set(options.cutOnce);
    for (const [id, dir] of Object.entries(options.folders)) this.repos.addFolder(id, dir);
    for (const [id, files] of Object.entries(options.files ?? {})) this.repos.addFiles(id, files);
  }

  async start(): Promise<void> {
    this.server = createServer(certificate(), (request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Chromium flags that send the three hosts here (and accept the self-signed certificate). */
  chromiumArgs(): string[] {
    const rules = [HUB, CDN, WEBLLM_LIBRARY_HOST].map((origin) => `MAP ${new URL(origin).host} 127.0.0.1:${this.port}`);
    return [`--host-resolver-rules=${rules.join(',')}`, '--ignore-certificate-errors'];
  }

  /** The requests made under `prefix` (an origin, or an origin and path). */
  requestsTo(prefix: string): FakeHubRequest[] {
    return this.requests.filter((request) => request.url.startsWith(prefix));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', `https://${request.headers.host ?? 'huggingface.co'}`);
    const range = request.headers.range;
    const reply = request.method === 'OPTIONS' ? this.preflight(request) : this.route(request, url);
    this.requests.push({ url: url.href, method: request.method ?? 'GET', status: reply.status, ...(range ? { range } : {}) });
    response.writeHead(reply.status, reply.headers);
    if (reply.cut && reply.body) {
      const body = Buffer.from(reply.body);
      response.write(body.subarray(0, Math.floor(body.length / 2)));
      // Long enough for the half to reach the page before the connection goes.
      setTimeout(() => response.destroy(), 300);
      return;
    }
    response.end(request.method === 'HEAD' ? undefined : reply.body);
  }

  private route(request: IncomingMessage, url: URL): Reply {
    if (url.origin === CDN) return this.cdn(request, url);
    if (url.origin === WEBLLM_LIBRARY_HOST) {
      // The libraries exist on GitHub, but none can be compiled offline: WebLLM gets GitHub's
      // 404 (as for a library version it does not have) and must fail to start.
      return { status: 404, headers: { 'access-control-allow-origin': '*', 'content-type': 'text/plain; charset=utf-8' }, body: '404: Not Found' };
    }
    return this.hub(request, url);
  }

  /** The hub's own answer to a preflight (Range beyond a safelisted one, say). */
  private preflight(request: IncomingMessage): Reply {
    const headers: Record<string, string> = {
      'access-control-allow-origin': request.headers.origin ?? '*',
      'access-control-allow-methods': 'GET,HEAD,OPTIONS',
      'access-control-max-age': '86400',
    };
    const asked = request.headers['access-control-request-headers'];
    if (asked) headers['access-control-allow-headers'] = asked;
    return { status: 204, headers };
  }

  private hubHeaders(request: IncomingMessage): Record<string, string> {
    return { 'access-control-allow-origin': request.headers.origin ?? HUB, vary: 'Origin', 'access-control-expose-headers': HUB_EXPOSED, 'x-repo-commit': COMMIT };
  }

  private hub(request: IncomingMessage, url: URL): Reply {
    const path = decodeURIComponent(url.pathname);
    const tree = /^\/api\/models\/(.+)\/tree\/main$/.exec(path);
    if (tree) return this.tree(request, tree[1]!, url);
    const cached = /^\/api\/resolve-cache\/models\/(.+)\/[0-9a-f]{40}\/(.+)$/.exec(path);
    if (cached) return this.fileReply(request, this.repos.file(cached[1]!, cached[2]!), this.hubHeaders(request));
    const [, id = '', file = ''] = /^\/(.+?\/.+?)\/resolve\/main\/(.+)$/.exec(path) ?? [];
    if (!this.repos.has(id)) return this.error(request, 401, 'RepoNotFound', 'Repository not found');
    const found = this.repos.file(id, file);
    if (!found) return this.error(request, 404, 'EntryNotFound', 'Entry not found');
    const headers = { ...this.hubHeaders(request), etag: `"${found.lfs ? found.sha256 : found.oid}"` };
    if (found.lfs) {
      // The object's sha256 names it on the CDN; `cut` marks the one download to break off.
      const cut = this.toCut.delete(`${id}/${file}`) ? '&cut=1' : '';
      const signed = `${CDN}/xet-bridge-us/${createHash('sha1').update(id).digest('hex')}/${found.sha256}?X-Amz-Expires=3600&X-Amz-Signature=e2e${cut}`;
      const linked = { 'x-linked-size': String(found.body.length), 'x-linked-etag': `"${found.sha256}"` };
      return { status: 302, headers: { ...headers, ...linked, location: signed }, body: `Found. Redirecting to ${signed}` };
    }
    const target = `/api/resolve-cache/models/${id}/${COMMIT}/${file}?etag=%22${found.oid}%22`;
    return { status: 307, headers: { ...headers, location: target }, body: `Temporary Redirect. Redirecting to ${target}` };
  }

  /** The tree API: `pageSize` rows a page, the next page's cursor in `Link`. */
  private tree(request: IncomingMessage, id: string, url: URL): Reply {
    const rows = this.repos.tree(id);
    if (!rows) return this.error(request, 401, 'RepoNotFound', 'Repository not found');
    const start = Number(Buffer.from(url.searchParams.get('cursor') ?? '', 'base64url').toString() || 0);
    const headers: Record<string, string> = { ...this.hubHeaders(request), 'content-type': 'application/json; charset=utf-8' };
    if (start + this.pageSize < rows.length) {
      const next = new URL(url);
      next.searchParams.set('cursor', Buffer.from(String(start + this.pageSize)).toString('base64url'));
      headers.link = `<${next.href}>; rel="next"`;
    }
    return { status: 200, headers, body: JSON.stringify(rows.slice(start, start + this.pageSize)) };
  }

  /** A signed CDN URL: the LFS object by its sha256; unsigned ones are refused as S3 does. */
  private cdn(request: IncomingMessage, url: URL): Reply {
    const headers = { 'access-control-allow-origin': '*', 'access-control-expose-headers': '*' };
    if (!url.searchParams.get('X-Amz-Signature')) return { status: 403, headers, body: 'AccessDenied' };
    const object = this.repos.object(url.pathname.split('/').pop() ?? '');
    if (!object) return { status: 404, headers, body: 'NoSuchKey' };
    const reply = this.fileReply(request, object, { ...headers, etag: `"${object.sha256}"` });
    return { ...reply, cut: url.searchParams.has('cut') };
  }

  /** 200 with the whole file, or 206 with the asked `bytes=a-b` (416 past its end). */
  private fileReply(request: IncomingMessage, file: HubFile | undefined, headers: Record<string, string>): Reply {
    if (!file) return this.error(request, 404, 'EntryNotFound', 'Entry not found');
    const base = { ...headers, 'accept-ranges': 'bytes', 'content-type': file.lfs ? 'application/octet-stream' : 'text/plain; charset=utf-8' };
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (!range) return { status: 200, headers: base, body: file.body };
    const size = file.body.length;
    const from = Number(range[1]);
    const to = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
    if (from >= size) return { status: 416, headers: { ...base, 'content-range': `bytes */${size}` } };
    return { status: 206, headers: { ...base, 'content-range': `bytes ${from}-${to}/${size}` }, body: file.body.subarray(from, to + 1) };
  }

  private error(request: IncomingMessage, status: number, code: string, message: string): Reply {
    const headers = { ...this.hubHeaders(request), 'x-error-code': code, 'x-error-message': message, 'content-type': 'text/plain; charset=utf-8' };
    return { status, headers, body: message };
  }
}
