import { describe, expect, it } from 'vitest';
import type { ChatMessage, GenerateOptions } from '../engines/types.ts';
import { streamReply } from './reply-stream.ts';
import type { SentenceSplitterOptions } from './sentence-splitter.ts';

/** An LLM that writes `pieces`, one token each. */
function fakeLlm(pieces: string[]) {
  return {
    async *generate(_messages: ChatMessage[], _options: GenerateOptions): AsyncGenerator<string> {
      for (const piece of pieces) yield piece;
    },
  };
}

async function sentencesOf(pieces: string[], splitter: SentenceSplitterOptions): Promise<{ sentences: string[]; tokensBefore: number[] }> {
  const sentences: string[] = [];
  const tokensBefore: number[] = [];
  let tokens = 0;
  await streamReply({
    llm: fakeLlm(pieces),
    messages: [{ role: 'user', content: 'Hi' }],
    maxTokens: 100,
    signal: new AbortController().signal,
    splitter,
    now: () => 0,
    onToken: () => (tokens += 1),
    onSentence: (sentence) => {
      sentences.push(sentence);
      tokensBefore.push(tokens);
    },
    onCapped: () => {},
    onError: (error) => {
      throw error;
    },
  });
  return { sentences, tokensBefore };
}

const REPLY = ['The', ' weather', ' in', ' Paris', ' today', ' is', ' sunny', ',', ' with', ' a', ' high', ' of', ' 21', '.', ' Enjoy', '.'];

describe('streamReply passes the splitter options through', () => {
  it('releases a clause as the first chunk when the option allows it, right after the space', async () => {
    const { sentences, tokensBefore } = await sentencesOf(REPLY, { firstChunkMinWords: 6 });
    expect(sentences).toEqual(['The weather in Paris today is sunny,', 'with a high of 21.', 'Enjoy.']);
    // Released by the token that brought the space after the comma (" with"), not a later one.
    expect(tokensBefore[0]).toBe(9);
  });

  it('keeps the first chunk a whole sentence when the early cut is off', async () => {
    const { sentences } = await sentencesOf(REPLY, { firstChunkMinWords: 0 });
    expect(sentences).toEqual(['The weather in Paris today is sunny, with a high of 21.', 'Enjoy.']);
  });

  it('uses the default early cut with empty options', async () => {
    const { sentences } = await sentencesOf(REPLY, {});
    expect(sentences[0]).toBe('The weather in Paris today is sunny,');
  });
});
