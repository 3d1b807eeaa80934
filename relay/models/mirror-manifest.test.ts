import { describe, expect, it } from 'vitest';
import { makeMirror } from '../test-support/temp-dirs.ts';
import { buildMirrorManifest } from './mirror-manifest.ts';

describe('buildMirrorManifest (a mirror copied by hand)', () => {
  it('lists transformers.js repos and bare ONNX repos such as Smart Turn, nothing else', () => {
    const dir = makeMirror({
      'pipecat-ai/smart-turn-v3/smart-turn-v3.2-cpu.onnx': new Uint8Array(300),
      'pipecat-ai/smart-turn-v3/README.md': '# Smart Turn',
      'org/notes/onnx/readme.txt': 'a folder with neither a config nor a root graph',
    });
    expect(buildMirrorManifest(dir)).toEqual({
      models: [
        { id: 'org/asr', files: [{ path: 'config.json', bytes: 24 }, { path: 'onnx/encoder_model.onnx', bytes: 1000 }] },
        {
          id: 'pipecat-ai/smart-turn-v3',
          files: [
            { path: 'README.md', bytes: 12 },
            { path: 'smart-turn-v3.2-cpu.onnx', bytes: 300 },
          ],
        },
      ],
    });
  });
});
