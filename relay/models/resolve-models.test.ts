import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_MOONSHINE_SET, FIXTURE_PACED_SET, FIXTURE_PARAKEET_SET, FIXTURE_SET, HUB_DEFAULT_SET, HUB_PARAKEET_SET, HUB_SMALL_SET, HUB_WHISPER_SET } from '../../src/models/catalogue.ts';
import { makeMirror } from '../test-support/temp-dirs.ts';
import { resolveModels } from './resolve-models.ts';

describe('resolveModels (the MODELS setting)', () => {
  it('uses the hub when unset or "hub"', () => {
    for (const value of [undefined, '', 'hub']) {
      expect(resolveModels(value)).toEqual({
        mirrorDir: null,
        clientConfig: {
          modelSource: { kind: 'hub', host: 'https://huggingface.co/', pathTemplate: '{model}/resolve/{revision}/' },
          modelSet: HUB_DEFAULT_SET,
          modelSets: [HUB_DEFAULT_SET, HUB_SMALL_SET, HUB_WHISPER_SET, HUB_PARAKEET_SET],
        },
      });
    }
  });

  it('serves ./fixtures/models with the fixture set for "fixtures"', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'relay-cwd-'));
    const dir = join(cwd, 'fixtures/models');
    mkdirSync(dir, { recursive: true });
    const result = resolveModels('fixtures', cwd);
    expect(result.mirrorDir).toBe(dir);
    expect(result.clientConfig).toEqual({
      modelSource: { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' },
      modelSet: FIXTURE_SET,
      modelSets: [FIXTURE_SET, FIXTURE_PACED_SET, FIXTURE_MOONSHINE_SET, FIXTURE_PARAKEET_SET],
    });
  });

  it('explains how to get fixtures when they are missing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'relay-cwd-'));
    expect(() => resolveModels('fixtures', cwd)).toThrow(/npm run fixtures/);
  });

  it('serves any folder, with its model-set.json when present', () => {
    const set = { id: 'mine', label: 'My mirror', asr: 'a/asr', llm: 'a/llm', tts: 'a/tts', voice: 'bf_emma', turn: 'a/turn' };
    const dir = makeMirror({ 'model-set.json': JSON.stringify(set) });
    expect(resolveModels(dir).clientConfig.modelSet).toEqual(set);
    expect(resolveModels(dir).clientConfig.modelSets).toEqual([set]);
    const bare = makeMirror();
    expect(resolveModels(bare).clientConfig.modelSet).toEqual(HUB_DEFAULT_SET);
  });

  it('gives an older model-set.json without a turn model the default one of its kind of mirror', () => {
    const older = { id: 'old', label: 'Older mirror', asr: 'a/asr', llm: 'a/llm', tts: 'a/tts', voice: 'af_heart' };
    const dir = makeMirror({ 'model-set.json': JSON.stringify(older) });
    expect(resolveModels(dir).clientConfig.modelSet).toEqual({ ...older, turn: 'pipecat-ai/smart-turn-v3' });
    const cwd = mkdtempSync(join(tmpdir(), 'relay-cwd-'));
    mkdirSync(join(cwd, 'fixtures/models'), { recursive: true });
    writeFileSync(join(cwd, 'fixtures/models/model-set.json'), JSON.stringify(older));
    expect(resolveModels('fixtures', cwd).clientConfig.modelSet).toEqual({ ...older, turn: 'fixtures/smart-turn-complete' });
    const bad = makeMirror({ 'model-set.json': JSON.stringify({ ...older, turn: '../x' }) });
    expect(() => resolveModels(bad)).toThrow(/model-set.json is not a model set: turn/);
  });

  it('puts the end-of-turn model in every set it offers', () => {
    expect(HUB_DEFAULT_SET.turn).toBe('pipecat-ai/smart-turn-v3');
    expect(HUB_SMALL_SET.turn).toBe('pipecat-ai/smart-turn-v3');
    expect(FIXTURE_SET.turn).toBe('fixtures/smart-turn-complete');
    expect(FIXTURE_PACED_SET.turn).toBe('fixtures/smart-turn-complete');
  });

  it('refuses a broken model-set.json at startup, saying what is wrong', () => {
    const bad = makeMirror({ 'model-set.json': JSON.stringify({ id: 'x', label: 'x', asr: '../etc', llm: 'a', tts: 'b', voice: 'v' }) });
    expect(() => resolveModels(bad)).toThrow(/model-set.json is not a model set: asr/);
    const notJson = makeMirror({ 'model-set.json': '{oops' });
    expect(() => resolveModels(notJson)).toThrow(/not valid JSON/);
    expect(() => resolveModels('/nonexistent/mirror')).toThrow(/is not a folder/);
  });
});
