// Builds a mirror folder for one model set: every file the app would load for it, laid out the way
// the relay serves `MODELS=<dir>` (`<dir>/<model id>/<path>`), plus `model-set.json` (which the
// relay reads to choose the models) and `manifest.json` (what is there, with sizes and hashes,
// in the format of fixtures/models/manifest.json).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ModelRecord } from '@mlc-ai/web-llm';
import { asrEngineKind } from '../../src/engines/asr/asr-engine-kind.ts';
import type { ModelSet } from '../../src/protocol/model-set.ts';
import type { Manifest, ManifestFile, ManifestModel } from '../fixtures/generate.ts';
import { fetchFile, type RemoteFile } from './fetch-file.ts';
import { HubUnreachableError, authHeaders, listRepo, resolveUrl, type HubOptions } from './hub.ts';
import { neededModels, type NeedOptions, type NeededModel, type StageNeededModel } from './needed-models.ts';
import { Progress, formatMb } from './progress.ts';
import { describeError } from '../../src/models/store/download-errors.ts';
import { DEFAULT_RETRY, isNetworkFailure, type RetryPolicy } from './retry.ts';
import { describeMissing, selectFiles, selectWebLlmFiles, type TreeEntry } from './select-files.ts';

export const GENERATOR = 'tools/models/download.ts';

export interface MirrorOptions extends NeedOptions {
  set: ModelSet;
  dir: string;
  endpoint: string;
  token?: string;
  /** WebLLM's compiled library URL (default: its prebuilt record's, on GitHub); tests point it at a fake. */
  webllmLibUrl?: (record: ModelRecord) => string;
  retry?: RetryPolicy;
  progress?: Progress;
}

export interface MirrorResult {
  dir: string;
  manifest: Manifest;
  fetchedBytes: number;
  skippedFiles: number;
}

/** One file to fetch, with where it goes in the manifest. */
interface PlannedFile {
  modelId: string;
  path: string;
  remote: RemoteFile;
  /** Whether to fetch with the hub token (never sent to other hosts). */
  hub: boolean;
}

interface PlannedModel {
  id: string;
  loader: string;
  files: PlannedFile[];
}

/** Paths come from a server: refuse any that would land outside the mirror folder. */
function safeSegments(path: string): string[] {
  const parts = path.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\\'))) {
    throw new Error(`refusing the unsafe path "${path}" from the hub`);
  }
  return parts;
}

function remoteFor(dir: string, modelId: string, path: string, url: string, entry: TreeEntry | null): RemoteFile {
  return {
    url,
    target: join(dir, ...safeSegments(modelId), ...safeSegments(path)),
    bytes: entry ? (entry.lfs?.size ?? entry.size ?? null) : null,
    sha256: entry?.lfs?.oid ?? null,
    gitOid: entry && !entry.lfs ? (entry.oid ?? null) : null,
  };
}

/** What loads the model, and which of it: the manifest's `loader`. */
function loaderOf(model: StageNeededModel, files: TreeEntry[]): string {
  if (model.stage === 'turn') return `turn (onnxruntime in the VAD worker), ${files.map((file) => file.path).join(', ')}`;
  if (model.stage === 'asr' && asrEngineKind(model.id) === 'parakeet') return `asr (parakeet.js), ${files.map((file) => file.path).join(', ')}`;
  const voices = model.voices.map((voice) => `voices/${voice}.bin`);
  return `${model.stage} (transformers.js), dtypes ${model.dtypes.join(', ')}${voices.length ? `, ${voices.join(', ')}` : ''}`;
}

async function planModel(model: NeededModel, options: MirrorOptions, hub: HubOptions, progress: Progress): Promise<PlannedModel> {
  if (model.kind === 'stage') {
    progress.note(`Listing ${model.id} (${model.stage})`);
    const tree = await listRepo(hub, model.id);
    const { files, missing } = selectFiles(tree, model);
    const fixed = missing.filter((file) => file.kind === 'file');
    if (fixed.length > 0) {
      const what = model.stage === 'turn' ? 'the end-of-turn model the app loads (Smart Turn v3)' : 'a Parakeet TDT export in the layout parakeet.js loads';
      throw new Error(`${model.id} has no ${fixed.map((file) => file.path).join(', ')}: not ${what}`);
    }
    const missingVoices = missing.filter((file) => file.kind === 'voice');
    if (missingVoices.length > 0) {
      const known = tree.map((entry) => /^voices\/([^/]+)\.bin$/.exec(entry.path)?.[1]).filter(Boolean);
      throw new Error(`${model.id} has no ${missingVoices.map((file) => file.path).join(', ')}; its voices: ${known.join(', ') || 'none'}`);
    }
    if (missing.some((file) => file.kind === 'config')) throw new Error(`${model.id} has no config.json: not a transformers.js model repository`);
    // A missing dtype only breaks the device kind that would pick it: say so, fetch the rest.
    for (const file of missing) progress.note(`warning: ${model.id} has no ${describeMissing(file)}; devices that pick it will not load offline`);
    return {
      id: model.id,
      loader: loaderOf(model, files),
      files: files.map((entry) => ({
        modelId: model.id,
        path: entry.path,
        remote: remoteFor(options.dir, model.id, entry.path, resolveUrl(hub.endpoint, model.id, entry.path), entry),
        hub: true,
      })),
    };
  }
  // WebLLM keeps its own layout on a mirror (src/engines/llm/webllm-app-config.ts): weights under
  // `mlc-ai/<id>/resolve/main/`, the compiled library beside that folder.
  const repo = new URL(model.record.model).pathname.replace(/^\/+|\/+$/g, '');
  const mirrorId = `mlc-ai/${model.id}`;
  progress.note(`Listing ${repo} (llm, WebLLM)`);
  const tree = await listRepo(hub, repo);
  const files: PlannedFile[] = selectWebLlmFiles(tree).map((entry) => ({
    modelId: mirrorId,
    path: `resolve/main/${entry.path}`,
    remote: remoteFor(options.dir, mirrorId, `resolve/main/${entry.path}`, resolveUrl(hub.endpoint, repo, entry.path), entry),
    hub: true,
  }));
  const libUrl = options.webllmLibUrl?.(model.record) ?? model.record.model_lib;
  const libFile = model.record.model_lib.split('/').pop() ?? '';
  files.push({ modelId: mirrorId, path: libFile, remote: remoteFor(options.dir, mirrorId, libFile, libUrl, null), hub: false });
  return { id: mirrorId, loader: `llm (WebLLM on WebGPU), library ${libFile}`, files };
}

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.part`, `${JSON.stringify(value, null, 2)}\n`);
  await rename(`${path}.part`, path);
}

/** Fetches the set into `options.dir`, then writes `model-set.json` and `manifest.json` there (only when every file is in). */
export async function downloadModelSet(options: MirrorOptions): Promise<MirrorResult> {
  const dir = resolve(options.dir);
  const progress = options.progress ?? new Progress();
  const retry = options.retry ?? DEFAULT_RETRY;
  const onRetry = (what: string, error: unknown, waitMs: number): void =>
    progress.note(`${what}: ${describeError(error)}; trying again in ${(waitMs / 1000).toFixed(1)} s`);
  const hub: HubOptions = { endpoint: options.endpoint, token: options.token, retry, onRetry };

  const plans: PlannedModel[] = [];
  for (const model of neededModels(options.set, options)) plans.push(await planModel(model, { ...options, dir }, hub, progress));
  const all = plans.flatMap((plan) => plan.files);
  const knownBytes = all.reduce((sum, file) => sum + (file.remote.bytes ?? 0), 0);
  progress.note(`${all.length} files, ${formatMb(knownBytes)}, into ${dir}`);

  await mkdir(dir, { recursive: true });
  const models: ManifestModel[] = [];
  let fetchedBytes = 0;
  let skippedFiles = 0;
  let index = 0;
  for (const plan of plans) {
    const files: ManifestFile[] = [];
    for (const file of plan.files) {
      index += 1;
      progress.start(`[${index}/${all.length}] ${file.modelId}/${file.path}`);
      const fetched = await fetchFile(file.remote, {
        headers: file.hub ? authHeaders(options.token) : {},
        retry,
        onProgress: (received, total) => progress.update(received, total),
        onRetry: (error, waitMs) => onRetry(`${file.modelId}/${file.path}`, error, waitMs),
      }).catch((error: unknown) => {
        if (isNetworkFailure(error)) throw new HubUnreachableError(new URL(file.remote.url).origin, error.cause);
        throw error;
      });
      progress.finish(fetched.bytes, fetched.skipped ? 'already there' : 'done');
      if (fetched.skipped) skippedFiles += 1;
      else fetchedBytes += fetched.bytes;
      files.push({ path: file.path, bytes: fetched.bytes, sha256: fetched.sha256 });
    }
    models.push({ id: plan.id, loader: plan.loader, files });
  }

  const manifest: Manifest = { generator: GENERATOR, models };
  await writeJsonAtomically(join(dir, 'manifest.json'), manifest);
  await writeJsonAtomically(join(dir, 'model-set.json'), options.set);
  progress.note(`Fetched ${formatMb(fetchedBytes)}; ${skippedFiles} of ${all.length} files were already there. Serve it with MODELS=${dir} npm start`);
  return { dir, manifest, fetchedBytes, skippedFiles };
}
