// A local HTTP server for the benches that run the app's engines in a Chromium worker: served
// cross-origin isolated, as the app is (COOP/COEP), so onnxruntime may use threads there too.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
// esbuild comes with tsx (a dependency): it bundles a bench's worker as vite bundles the app's.
import { build, type BuildOptions } from 'esbuild';
import { repoRoot } from '../e2e/support/paths.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Serves whatever `route` returns for a path (undefined: 404) on 127.0.0.1 at a free port. */
export async function serveIsolated(route: (path: string) => Uint8Array | string | undefined): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const body = route(path);
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? (path === '/' ? 'text/html' : 'application/octet-stream'),
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

/** `source` (TypeScript importing the app's modules) bundled into one ES module worker script. */
export async function bundleWorker(source: string, name: string, options: BuildOptions = {}): Promise<Uint8Array> {
  const bundled = await build({
    stdin: { contents: source, resolveDir: repoRoot, sourcefile: name, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    ...options,
  });
  return bundled.outputFiles![0]!.contents;
}

const ORT_DIST = join(repoRoot, 'node_modules/onnxruntime-web/dist');

/** onnxruntime-web's files under `/ort/` (set `env.wasm.wasmPaths = '/ort/'` in the worker); undefined for other paths. */
export function ortDistFile(path: string): Uint8Array | undefined {
  if (!path.startsWith('/ort/')) return undefined;
  const file = normalize(join(ORT_DIST, path.slice(5)));
  return file.startsWith(ORT_DIST) ? readFileSync(file) : undefined;
}
