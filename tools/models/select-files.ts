// Picks, from a hub repository's file list, the files the app loads for the dtypes we need, by
// the app's own rule (planStageFiles in src/models/store/file-selection.ts, which the model
// store downloads by too): the configs the loaders read plus one ONNX graph per session and
// dtype, or a fixed layout's exact files (Smart Turn, Parakeet). Everything else in a repo
// (other dtypes, READMEs, PyTorch weights) is left on the hub: the Qwen repo alone holds several
// GB of exports the app never loads.
import { planStageFiles, type MissingFile } from '../../src/models/store/file-selection.ts';
import { listingFromHubTree } from '../../src/models/store/listing.ts';
import type { StoreStage } from '../../src/models/store/store-types.ts';

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

/** A model of one stage, wanted in these dtypes (ASR as `encoder/decoder`), with these TTS voices. */
export interface StageModel {
  stage: StoreStage;
  id: string;
  dtypes: readonly string[];
  voices: readonly string[];
}

export interface Selection {
  files: TreeEntry[];
  /** Files the app would load that the repo does not have. */
  missing: MissingFile[];
}

/** The entries of `tree` that `model` loads (the tree's own entries: they carry the git ids). */
export function selectFiles(tree: TreeEntry[], model: StageModel): Selection {
  const listing = listingFromHubTree(
    model.id,
    tree.map((entry) => ({ ...entry, size: entry.size ?? 0 })),
  );
  const { files, missing } = planStageFiles(model.stage, listing, model.dtypes, model.voices);
  const byPath = new Map(tree.filter((entry) => entry.type === 'file').map((entry) => [entry.path, entry]));
  return { files: files.flatMap((file) => byPath.get(file.path) ?? []), missing };
}

/** How a missing file reads in a warning: `onnx/model_quantized.onnx (q8)`. */
export function describeMissing(file: MissingFile): string {
  return file.dtype ? `${file.path} (${file.dtype})` : file.path;
}

/** A WebLLM (MLC) repo is fetched whole, minus what only people read. */
export function selectWebLlmFiles(tree: TreeEntry[]): TreeEntry[] {
  return tree.filter((entry) => entry.type === 'file' && entry.path !== '.gitattributes' && !/^README(\.md)?$/i.test(entry.path));
}
