// Streaming sentence splitter: LLM tokens in, speakable sentences out, each as soon as it is
// complete. TTS starts on a sentence while the LLM writes the next, so every sentence cut early
// is time-to-first-audio saved, and every cut at the wrong place (an abbreviation, a decimal, a
// URL) is a stumble the user hears.
import {
  clauseEnd,
  endsSentence,
  isClauseCandidate,
  isClauseMark,
  isCloser,
  isTerminator,
  isWhitespace,
} from './sentence-rules.ts';

export interface SentenceSplitterOptions {
  /**
   * The first chunk may end at a clause boundary (`,` `;` `:`, a spaced dash, an em dash between
   * words) once it has at least this many words before the mark, so speech starts before a long
   * first sentence is finished. 0 turns this off. Applies to the first chunk only: later ones are
   * synthesised while earlier ones play, and whole sentences sound better. Never inside a number
   * ("1,000", "3:30"), after a leading abbreviation ("e.g.,"), in a URL, link label or code span
   * (sentence-rules.ts, `clauseEnd`). Six words: about two seconds of speech, enough that the
   * second chunk is ready before the first has played, and past openers like "Sure, ...".
   */
  firstChunkMinWords?: number;
  /**
   * A chunk that grows past this many characters without a sentence end is cut at its last
   * clause mark or space: TTS models have an input limit and long inputs delay audio.
   */
  maxChunkChars?: number;
}

export const DEFAULT_SPLITTER_OPTIONS: Required<SentenceSplitterOptions> = {
  firstChunkMinWords: 6,
  maxChunkChars: 300,
};

interface Cut {
  /** End of the emitted chunk (exclusive). */
  end: number;
  /** Where the rest of the text resumes (after the whitespace that followed the cut). */
  next: number;
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isWhitespace(text[i])) i += 1;
  return i;
}

/** Words with a letter or digit in them: a dash or a bullet is not a word. */
function countWords(text: string): number {
  let count = 0;
  for (const word of text.split(/\s+/u)) if (/[\p{L}\p{N}]/u.test(word)) count += 1;
  return count;
}

/**
 * Finds the first place `text` may be cut. Returns null when there is none yet, including when a
 * candidate needs text that has not arrived: a sentence end is decided once the next word starts,
 * a clause end (first chunk only, see `clauseEnd`) as soon as the whitespace after it arrives.
 */
function findCut(text: string, allowClauseCut: boolean, minClauseWords: number): Cut | null {
  let nesting = 0;
  let inCode = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];

    if (char === '\n') {
      const next = skipWhitespace(text, i);
      if (next === text.length) return null;
      if (text.slice(0, i).trim() !== '') return { end: i, next };
      i = next - 1;
      continue;
    }

    if (isTerminator(char)) {
      let runEnd = i;
      while (runEnd < text.length && isTerminator(text[runEnd])) runEnd += 1;
      let closeEnd = runEnd;
      while (closeEnd < text.length && isCloser(text[closeEnd])) closeEnd += 1;
      if (closeEnd === text.length) return null;
      if (isWhitespace(text[closeEnd])) {
        const next = skipWhitespace(text, closeEnd);
        if (next === text.length) return null;
        const ends = endsSentence(text, i, runEnd, next);
        if (ends === undefined) return null;
        if (ends) return { end: closeEnd, next };
      }
      i = runEnd - 1;
      continue;
    }

    if (!allowClauseCut) continue;
    // Inside a link label, a parenthesis or inline code the rest is needed to read the part
    // already written ("[a, b](url)" cut after "a," would leave the URL to be read aloud).
    if (char === '[' || char === '(') nesting += 1;
    else if ((char === ']' || char === ')') && nesting > 0) nesting -= 1;
    else if (char === '`') inCode = !inCode;
    else if (isClauseCandidate(char) && nesting === 0 && !inCode && countWords(text.slice(0, i)) >= minClauseWords) {
      const end = clauseEnd(text, i);
      // Undefined: the mark is at the end of the text so far; nothing after it has arrived.
      if (end === undefined) return null;
      // Released at once: the whitespace after the clause need not be followed by a word yet.
      if (end !== null) return { end, next: skipWhitespace(text, end) };
    }
  }
  return null;
}

/** A forced cut for an overlong chunk: at the last clause mark, else the last space, before the limit. */
function findForcedCut(text: string, maxChars: number): Cut | null {
  if (text.length <= maxChars) return null;
  const window = text.slice(0, maxChars);
  let lastSpace = -1;
  for (let i = window.length - 1; i > 0; i -= 1) {
    if (!isWhitespace(window[i])) continue;
    if (isClauseMark(window[i - 1])) return { end: i, next: skipWhitespace(text, i) };
    if (lastSpace < 0) lastSpace = i;
  }
  if (lastSpace > 0) return { end: lastSpace, next: skipWhitespace(text, lastSpace) };
  return { end: maxChars, next: maxChars };
}

/**
 * The splitter itself, synchronous: feed text with `push`, take completed chunks from its
 * return value, and call `flush` at the end for the remainder.
 */
export class SentenceSplitter {
  private buffer = '';
  private emitted = 0;
  private readonly options: Required<SentenceSplitterOptions>;

  constructor(options: SentenceSplitterOptions = {}) {
    this.options = { ...DEFAULT_SPLITTER_OPTIONS, ...options };
  }

  push(text: string): string[] {
    this.buffer += text;
    const chunks: string[] = [];
    for (;;) {
      // Rescanning the current chunk from its start on every token keeps the rules simple
      // (a terminator run or abbreviation can straddle tokens); chunks are short.
      const allowClauseCut = this.emitted === 0 && this.options.firstChunkMinWords > 0;
      const cut =
        findCut(this.buffer, allowClauseCut, this.options.firstChunkMinWords) ??
        findForcedCut(this.buffer, this.options.maxChunkChars);
      if (!cut) return chunks;
      const chunk = this.buffer.slice(0, cut.end).trim();
      this.buffer = this.buffer.slice(cut.next);
      if (chunk !== '') {
        chunks.push(chunk);
        this.emitted += 1;
      }
    }
  }

  flush(): string[] {
    const rest = this.buffer.trim();
    this.buffer = '';
    if (rest === '') return [];
    this.emitted += 1;
    return [rest];
  }
}

/** Splits a stream of LLM tokens into sentences, yielding each as soon as it is complete. */
export async function* splitSentences(
  tokens: AsyncIterable<string>,
  options: SentenceSplitterOptions = {},
): AsyncGenerator<string, void, undefined> {
  const splitter = new SentenceSplitter(options);
  for await (const token of tokens) yield* splitter.push(token);
  yield* splitter.flush();
}
