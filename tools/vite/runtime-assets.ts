import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { defaultClientConditions, type Plugin } from 'vite';
import { ORT_RUNTIME, VAD_RUNTIME } from '../../src/engines/runtime-paths.ts';

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

/**
 * One onnxruntime for every model stage: a bare `onnxruntime-web` import (parakeet.js makes one)
 * gets the build transformers.js uses, `onnxruntime-web/webgpu` (the asyncify wasm, ORT_RUNTIME),
 * not the package's default JSEP build with its own 28 MB binary. Same module, so the env the
 * Parakeet engine configures is the one parakeet.js runs on. Used by vitest.config.ts too.
 */
export const ONE_ORT_ALIAS = [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/webgpu' }];

/** What the stage workers import from node_modules (keep in step with the `*.worker.ts` files under src/engines). */
const WORKER_DEPENDENCIES = [
  '@huggingface/transformers',
  'kokoro-js',
  '@mlc-ai/web-llm',
  'onnxruntime-web/wasm',
  'onnxruntime-web/webgpu',
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
 * The runtime files the libraries load, found where npm put them. package.json's overrides give
 * transformers.js, vad-web and parakeet.js one onnxruntime-web (the .mjs glue and the .wasm must
 * come from the build of the JavaScript that loads them); a library upgrade that nests another
 * version fails the build here instead of shipping a second runtime or a mismatched one.
 */
export function runtimeAssetList(root: string): RuntimeAsset[] {
  const ortDist = packageDir('onnxruntime-web', root);
  const vadWebDist = packageDir('@ricky0123/vad-web', root);
  for (const library of ['@huggingface/transformers', '@ricky0123/vad-web', 'parakeet.js']) {
    const theirs = packageDir('onnxruntime-web', resolve(packageDir(library, root), '..'));
    if (theirs !== ortDist) throw new Error(`runtime-assets: ${library} has its own onnxruntime-web (${theirs}); keep one through package.json's overrides`);
  }
  const assets: RuntimeAsset[] = [
    { path: ORT_RUNTIME.dir + ORT_RUNTIME.mjs, source: join(ortDist, ORT_RUNTIME.mjs) },
    { path: ORT_RUNTIME.dir + ORT_RUNTIME.wasm, source: join(ortDist, ORT_RUNTIME.wasm) },
    { path: VAD_RUNTIME.dir + VAD_RUNTIME.mjs, source: join(ortDist, VAD_RUNTIME.mjs) },
    { path: VAD_RUNTIME.dir + VAD_RUNTIME.wasm, source: join(ortDist, VAD_RUNTIME.wasm) },
    { path: VAD_RUNTIME.dir + VAD_RUNTIME.model, source: join(vadWebDist, VAD_RUNTIME.model) },
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
        resolve: { conditions: [...defaultClientConditions, 'onnxruntime-web-use-extern-wasm'], alias: ONE_ORT_ALIAS },
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
