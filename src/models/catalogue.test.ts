import { describe, expect, it } from 'vitest';
import { webLlmModelFor } from '../engines/llm/webllm-models.ts';
import { HUB_SETS } from './catalogue.ts';

describe('the hub sets', () => {
  it('have a WebLLM build of every language model', () => {
    for (const set of HUB_SETS) expect(webLlmModelFor(set.llm, true), set.id).toBeDefined();
  });
});
