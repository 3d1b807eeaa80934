// Configured keywords: any of them, as a whole word or phrase, hands the conversation over.
import { normalise } from './normalise.ts';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** The first configured keyword the text contains (whole words, any case), or null. */
export function matchKeyword(text: string, keywords: readonly string[]): string | null {
  const clean = normalise(text);
  if (clean === '') return null;
  for (const keyword of keywords) {
    const wanted = normalise(keyword);
    if (wanted === '') continue;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}'])${escape(wanted).replace(/ /gu, '\\s+')}(?![\\p{L}\\p{N}'])`, 'u');
    if (pattern.test(clean)) return keyword;
  }
  return null;
}
