// MODELS=fixtures end to end on the relay: the generated end-of-turn models are in the client
// config, listed in the mirror's manifest and served, so the app's model store and VAD get them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixtures } from '../../tools/fixtures/generate.ts';
import { staticApp } from '../test-support/test-app.ts';
import { resolveModels } from './resolve-models.ts';

let cwd = '';
beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'relay-fixtures-'));
  await generateFixtures(join(cwd, 'fixtures/models'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('MODELS=fixtures serves the end-of-turn fixtures', () => {
  it('names the turn model, lists both variants and serves their graph', async () => {
    const app = staticApp({ models: resolveModels('fixtures', cwd) });
    const config = (await (await app.request('/api/v1/client-config')).json()) as { modelSet: { turn: string } };
    expect(config.modelSet.turn).toBe('fixtures/smart-turn-complete');

    const manifest = (await (await app.request('/models/manifest.json')).json()) as { models: { id: string; files: { path: string; bytes: number }[] }[] };
    for (const id of ['fixtures/smart-turn-complete', 'fixtures/smart-turn-incomplete']) {
      const listed = manifest.models.find((model) => model.id === id);
      expect(listed?.files.map((file) => file.path)).toEqual(['smart-turn-v3.2-cpu.onnx']);
      const res = await app.request(`/models/${id}/smart-turn-v3.2-cpu.onnx`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect((await res.arrayBuffer()).byteLength).toBe(listed?.files[0]?.bytes);
    }
  });
});
