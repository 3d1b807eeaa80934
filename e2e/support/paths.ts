import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
export const distDir = resolve(repoRoot, 'dist');
export const fixtureModelsDir = resolve(repoRoot, 'fixtures/models');
export const audioDir = resolve(repoRoot, 'fixtures/audio');
