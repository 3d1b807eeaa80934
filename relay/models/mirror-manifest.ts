import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { MirrorManifest } from '../../src/protocol/mirror-manifest.ts';

/** Deep enough for `org/name/onnx/model.onnx` and `voices/x.bin`; bounds a walk of a wrong folder. */
const MAX_DEPTH = 5;

function walk(dir: string, depth: number, files: string[]): void {
  if (depth > MAX_DEPTH) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    // Symlinks are followed, as serving does (a hub cache snapshot links into blobs/).
    const stats = entry.isSymbolicLink() ? statSync(path, { throwIfNoEntry: false }) : entry;
    if (stats?.isDirectory()) walk(path, depth + 1, files);
    else if (stats?.isFile()) files.push(path);
  }
}

/**
 * A model folder: a transformers.js repo (a `config.json`), or a bare ONNX repo with its graph at
 * the root and no config (Smart Turn: `smart-turn-v3.2-cpu.onnx`).
 */
function isModel(files: { path: string }[]): boolean {
  return files.some((file) => file.path === 'config.json' || (!file.path.includes('/') && file.path.endsWith('.onnx')));
}

/**
 * The file list of a mirror that has no `manifest.json` (copied by hand rather than made by
 * `npm run models:download`): every `<org>/<name>/…` folder holding a `config.json` or a root
 * `.onnx` graph is a model, with each file's size. There are no hashes, so the app checks such
 * files by size only.
 */
export function buildMirrorManifest(dir: string): MirrorManifest {
  const files: string[] = [];
  walk(dir, 0, files);
  const models = new Map<string, { path: string; bytes: number }[]>();
  for (const file of files) {
    const parts = relative(dir, file).split(sep);
    if (parts.length < 3) continue;
    const id = `${parts[0]}/${parts[1]}`;
    const list = models.get(id) ?? [];
    list.push({ path: parts.slice(2).join('/'), bytes: statSync(file).size });
    models.set(id, list);
  }
  return {
    models: [...models]
      .filter(([, list]) => isModel(list))
      .map(([id, list]) => ({ id, files: list.sort((a, b) => a.path.localeCompare(b.path)) })),
  };
}
