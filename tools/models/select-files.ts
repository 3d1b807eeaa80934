// Picks, from a hub repository's file list, the files transformers.js (and kokoro-js on top of
// it) fetches for the dtypes we need: the small JSON configs plus one ONNX graph per dtype.
// Everything else in a repo (other dtypes, READMEs, PyTorch weights) is left on the hub: the
// Qwen repo alone holds several GB of exports the app never loads.
import type { ModelDtype } from '../../src/engines/transformers/dtypes.ts';
// The app's own suffix table: the download fetches exactly the names the app will load.
import { DTYPE_SUFFIX } from '../../src/models/store/file-selection.ts';

/** One entry of `GET /api/models/{id}/tree/main?recursive=true`. */
export interface TreeEntry {
  type: 'file' | 'directory';
  path: string;
  size?: number;
  /** Git object id: for a non-LFS file, the SHA-1 of the blob (`blob <size>\0<bytes>`). */
  oid?: string;
  /** LFS files (the weights): `oid` is the SHA-256 of the content, `size` its length. */
  lfs?: { oid: string; size: number };
}

/** Per ONNX graph name (`model`, `encoder_model`, ...), the dtypes to fetch. */
export type GraphDtypes = Map<string, Set<ModelDtype>>;

// `onnx/<graph><suffix>.onnx`, and its external weights `.onnx_data`, `.onnx_data_1`, ... (models
// over 2 GB, or exports that keep weights apart from the graph).
const ONNX_FILE = /^onnx\/([^/]+?)\.onnx(_data(_\d+)?)?$/;

/** `onnx/decoder_model_merged_quantized.onnx` → `{ graph: 'decoder_model_merged', dtype: 'q8' }`. */
export function parseOnnxPath(path: string): { graph: string; dtype: ModelDtype } | null {
  const match = ONNX_FILE.exec(path);
  if (!match?.[1]) return null;
  const stem = match[1];
  // Longest suffix first is not needed (no suffix ends another), but fp32's empty suffix must come last.
  for (const [dtype, suffix] of Object.entries(DTYPE_SUFFIX) as [ModelDtype, string][]) {
    if (suffix !== '' && stem.endsWith(suffix)) return { graph: stem.slice(0, -suffix.length), dtype };
  }
  return { graph: stem, dtype: 'fp32' };
}

/** Root-level files the loaders read: config.json, tokenizer*.json, preprocessor_config.json, chat_template.jinja, ... */
function isConfigFile(path: string): boolean {
  return !path.includes('/') && (path.endsWith('.json') || path.endsWith('.jinja'));
}

export interface Selection {
  files: TreeEntry[];
  /** Graph/dtype pairs the repo does not have: the app would fail to load them. */
  missing: string[];
}

/** The files of a transformers.js repo needed for `graphs`, plus `extra` exact paths (Kokoro voices). */
export function selectFiles(tree: TreeEntry[], graphs: GraphDtypes, extra: string[] = []): Selection {
  const files: TreeEntry[] = [];
  const found = new Set<string>();
  const wanted = new Set(extra);
  for (const entry of tree) {
    if (entry.type !== 'file') continue;
    const onnx = parseOnnxPath(entry.path);
    if (onnx) {
      if (graphs.get(onnx.graph)?.has(onnx.dtype)) {
        files.push(entry);
        found.add(`${onnx.graph}:${onnx.dtype}`);
      }
    } else if (isConfigFile(entry.path) || wanted.has(entry.path)) {
      files.push(entry);
    }
  }
  const missing: string[] = [];
  for (const [graph, dtypes] of graphs) {
    for (const dtype of dtypes) {
      if (!found.has(`${graph}:${dtype}`)) missing.push(`onnx/${graph}${DTYPE_SUFFIX[dtype]}.onnx (${dtype})`);
    }
  }
  const present = new Set(files.map((file) => file.path));
  for (const path of extra) if (!present.has(path)) missing.push(path);
  if (!present.has('config.json')) missing.push('config.json');
  return { files, missing };
}

/** A WebLLM (MLC) repo is fetched whole, minus what only people read. */
export function selectWebLlmFiles(tree: TreeEntry[]): TreeEntry[] {
  return tree.filter((entry) => entry.type === 'file' && entry.path !== '.gitattributes' && !/^README(\.md)?$/i.test(entry.path));
}
