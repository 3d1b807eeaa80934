import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { defaultClientConditions, type Plugin } from 'vite';
import { PARAKEET_ORT, TRANSFORMERS_ORT, VAD_RUNTIME } from '../../src/engines/runtime-paths.ts';

/** One file the app loads at run time, from node_modules to a fixed path under the app's base. */
export interface RuntimeAsset {
  /** Path under the base URL, e.g. `runtime/ort/ort-wasm-simd-threaded.asyncify.wasm`. */
  path: string;
  /** Absolute source path in node_modules. */
  source: string;
}

const MIME_TYPES: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.onnx': 'application/octet-stream',
};

/** What the stage workers import from node_modules (keep in step with the `*.worker.ts` files under src/engines). */
const WORKER_DEPENDENCIES = [
  '@huggingface/transformers',
  'kokoro-js',
  '@mlc-ai/web-llm',
  'onnxruntime-web/wasm',
  'onnxruntime-web',
  'parakeet.js',
  '@ricky0123/vad-web/dist/frame-processor.js',
  '@ricky0123/vad-web/dist/messages.js',
  '@ricky0123/vad-web/dist/models/silero.js',
];

/** The folder of a package's main file, resolved the way Node would from `fromDir`. */
function packageDir(specifier: string, fromDir: string): string {
  const require = createRequire(join(fromDir, 'noop.js'));
  return dirname(require.resolve(specifier));
}

/**
 * The runtime files each library needs, found where npm put them. transformers.js nests its own
 * onnxruntime-web (a different version from the one vad-web uses), so each is resolved from the
 * package that imports it: the .mjs glue and the .wasm binary must come from the same build as
 * the JavaScript that loads them.
 */
export function runtimeAssetList(root: string): RuntimeAsset[] {
  const transformersDir = resolve(packageDir('@huggingface/transformers', root), '..');
  const transformersOrtDist = packageDir('onnxruntime-web', transformersDir);
  const vadWebDist = packageDir('@ricky0123/vad-web', root);
  const vadOrtDist = packageDir('onnxruntime-web', resolve(vadWebDist, '..'));
  const parakeetOrtDist = packageDir('onnxruntime-web', resolve(packageDir('parakeet.js', root), '..'));
  const assets: RuntimeAsset[] = [
    { path: TRANSFORMERS_ORT.dir + TRANSFORMERS_ORT.mjs, source: join(transformersOrtDist, TRANSFORMERS_ORT.mjs) },
    { path: TRANSFORMERS_ORT.dir + TRANSFORMERS_ORT.wasm, source: join(transformersOrtDist, TRANSFORMERS_ORT.wasm) },
    { path: VAD_RUNTIME.dir + VAD_RUNTIME.mjs, source: join(vadOrtDist, VAD_RUNTIME.mjs) },
    { path: VAD_RUNTIME.dir + VAD_RUNTIME.wasm, source: join(vadOrtDist, VAD_RUNTIME.wasm) },
    { path: VAD_RUNTIME.dir + VAD_RUNTIME.model, source: join(vadWebDist, VAD_RUNTIME.model) },
    { path: PARAKEET_ORT.dir + PARAKEET_ORT.mjs, source: join(parakeetOrtDist, PARAKEET_ORT.mjs) },
    { path: PARAKEET_ORT.dir + PARAKEET_ORT.wasm, source: join(parakeetOrtDist, PARAKEET_ORT.wasm) },
  ];
  const missing = assets.filter((asset) => !existsSync(asset.source));
  if (missing.length > 0) {
    // A library upgrade renamed a runtime file: fail the build rather than ship an app that
    // cannot start offline.
    throw new Error(`runtime-assets: missing ${missing.map((asset) => asset.source).join(', ')}`);
  }
  return assets;
}

/**
 * Serves (in `vite dev`) and emits (in `vite build`) the runtime files of onnxruntime-web and
 * Silero VAD at fixed paths under the base URL, so the workers never reach for a CDN.
 * kokoro-js needs nothing here: its phonemizer's wasm is inlined in its JavaScript.
 */
export function runtimeAssets(): Plugin {
  let assets: RuntimeAsset[] = [];
  let base = '/';
  return {
    name: 'hearth:runtime-assets',
    config() {
      // onnxruntime-web's default ("bundle") builds embed the wasm glue and point at the .wasm with
      // `new URL(..., import.meta.url)`, which makes Vite emit a second, hashed 14-27 MB copy of
      // each binary. This export condition selects the builds that load both files from
      // `env.wasm.wasmPaths`, i.e. from the fixed paths below.
      return {
        resolve: { conditions: [...defaultClientConditions, 'onnxruntime-web-use-extern-wasm'] },
        // `vite dev` finds dependencies by scanning from index.html, which does not reach into
        // workers: without this list it discovers them on first use, re-optimizes and reloads the
        // page, leaving workers pointing at chunks that no longer exist.
        optimizeDeps: { include: WORKER_DEPENDENCIES },
      };
    },
    configResolved(config) {
      assets = runtimeAssetList(config.root);
      base = config.base;
    },
    configureServer(server) {
      const byUrl = new Map(assets.map((asset) => [base + asset.path, asset]));
      server.middlewares.use((request, response, next) => {
        const url = (request.url ?? '').split('?')[0] ?? '';
        const asset = byUrl.get(url);
        if (!asset) return next();
        const extension = asset.path.slice(asset.path.lastIndexOf('.'));
        response.setHeader('Content-Type', MIME_TYPES[extension] ?? 'application/octet-stream');
        response.setHeader('Content-Length', statSync(asset.source).size);
        response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        createReadStream(asset.source).pipe(response);
      });
    },
    generateBundle() {
      for (const asset of assets) {
        this.emitFile({ type: 'asset', fileName: asset.path, source: readFileSync(asset.source) });
      }
    },
  };
}
