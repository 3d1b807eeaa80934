import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FIXTURE_ALTERNATIVE_SETS, FIXTURE_SET, HUB_DEFAULT_SET, HUB_SETS } from '../../src/models/catalogue.ts';
import { ModelSetFileSchema, type ClientConfig, type ModelSet } from '../../src/protocol/model-set.ts';

/** Where the app gets its models, and the folder the relay serves under `/models/` (null: none). */
export interface ModelsConfig {
  clientConfig: ClientConfig;
  mirrorDir: string | null;
}

export const HUB_SOURCE = { kind: 'hub', host: 'https://huggingface.co/', pathTemplate: '{model}/resolve/{revision}/' } as const;
export const MIRROR_SOURCE = { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' } as const;

function readModelSet(dir: string, fallback: ModelSet): ModelSet {
  const file = join(dir, 'model-set.json');
  if (!existsSync(file)) return fallback;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ModelSetFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file} is not a model set: ${issue?.path.join('.') || 'root'}: ${issue?.message}`);
  }
  // Written before the end-of-turn model: the one this kind of mirror has by default.
  return { ...parsed.data, turn: parsed.data.turn ?? fallback.turn };
}

/**
 * Reads the `MODELS` setting: unset or `hub` means the Hugging Face hub; `fixtures` means
 * the generated test models in `./fixtures/models/`; anything else is a mirror folder.
 * A mirror's own `model-set.json` chooses its models; without one, `fixtures` uses the
 * fixture set and any other mirror the hub defaults (a mirror laid out like the hub). A
 * `model-set.json` without `turn` (older) gets that same default's end-of-turn model.
 */
export function resolveModels(setting: string | undefined, cwd: string = process.cwd()): ModelsConfig {
  const value = setting?.trim() ?? '';
  if (value === '' || value === 'hub') {
    return { clientConfig: { modelSource: { ...HUB_SOURCE }, modelSet: HUB_DEFAULT_SET, modelSets: [...HUB_SETS] }, mirrorDir: null };
  }
  const isFixtures = value === 'fixtures';
  const dir = resolve(cwd, isFixtures ? 'fixtures/models' : value);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const hint = isFixtures ? ' Run `npm run fixtures` first.' : '';
    throw new Error(`MODELS=${value}: ${dir} is not a folder.${hint}`);
  }
  const modelSet = readModelSet(dir, isFixtures ? FIXTURE_SET : HUB_DEFAULT_SET);
  // A mirror holds the models of its one set; the fixtures hold every variant, so they offer more.
  const modelSets = isFixtures && modelSet.id === FIXTURE_SET.id ? [modelSet, ...FIXTURE_ALTERNATIVE_SETS] : [modelSet];
  return { clientConfig: { modelSource: { ...MIRROR_SOURCE }, modelSet, modelSets }, mirrorDir: dir };
}
