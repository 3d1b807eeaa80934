import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_MOONSHINE_SET, FIXTURE_PACED_SET, FIXTURE_PARAKEET_SET, FIXTURE_SET, HUB_DEFAULT_SET, HUB_PARAKEET_SET, HUB_SMALL_SET, HUB_WHISPER_SET } from '../../src/models/catalogue.ts';
import { ClientConfigSchema } from '../../src/protocol/model-set.ts';
import { resolveModels } from '../models/resolve-models.ts';
import { makeMirror } from '../test-support/temp-dirs.ts';
import { staticApp } from '../test-support/test-app.ts';

async function clientConfig(models: ReturnType<typeof resolveModels>) {
  const res = await staticApp({ models }).request('/api/v1/client-config');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return ClientConfigSchema.parse(await res.json());
}

describe('GET /api/v1/client-config', () => {
  it('points the app at the hub by default', async () => {
    expect(await clientConfig(resolveModels(undefined))).toEqual({
      modelSource: { kind: 'hub', host: 'https://huggingface.co/', pathTemplate: '{model}/resolve/{revision}/' },
      modelSet: HUB_DEFAULT_SET,
      modelSets: [HUB_DEFAULT_SET, HUB_SMALL_SET, HUB_WHISPER_SET, HUB_PARAKEET_SET],
    });
  });

  it('points the app at /models/ with the fixture set for MODELS=fixtures', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'relay-cwd-'));
    mkdirSync(join(cwd, 'fixtures/models'), { recursive: true });
    expect(await clientConfig(resolveModels('fixtures', cwd))).toEqual({
      modelSource: { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' },
      modelSet: FIXTURE_SET,
      modelSets: [FIXTURE_SET, FIXTURE_PACED_SET, FIXTURE_MOONSHINE_SET, FIXTURE_PARAKEET_SET],
    });
  });

  it('uses a custom mirror and its model-set.json', async () => {
    const set = { id: 'air-gapped', label: 'Air-gapped', asr: 'o/w', llm: 'o/l', tts: 'o/k', voice: 'af_heart', turn: 'o/t' };
    const dir = makeMirror({ 'model-set.json': JSON.stringify(set) });
    const config = await clientConfig(resolveModels(dir));
    expect(config).toEqual({ modelSource: { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' }, modelSet: set, modelSets: [set] });
  });

  it('names a turn model even for a mirror whose model-set.json predates it', async () => {
    const older = { id: 'air-gapped', label: 'Air-gapped', asr: 'o/w', llm: 'o/l', tts: 'o/k', voice: 'af_heart' };
    const res = await staticApp({ models: resolveModels(makeMirror({ 'model-set.json': JSON.stringify(older) })) }).request('/api/v1/client-config');
    const body = (await res.json()) as { modelSet: Record<string, string> };
    expect(body.modelSet.turn).toBe('pipecat-ai/smart-turn-v3');
    // A client config saved from an older relay (no turn) still parses, with the hub's model.
    expect(ClientConfigSchema.parse({ ...body, modelSet: older, modelSets: [older] }).modelSet.turn).toBe('pipecat-ai/smart-turn-v3');
  });
});
