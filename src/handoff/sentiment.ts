// Lexicon-based sentiment of one message, and the sum over the caller's recent messages that the
// negative-sentiment trigger compares with its threshold. Cheap, deterministic, on the device.
import { INTENSIFIERS, NEGATORS, PHRASE_VALENCE, WORD_VALENCE } from './sentiment-lexicon.ts';
import { normalise } from './normalise.ts';

/** How strongly one scored word counts after a negator ("not good" is mildly negative). */
const NEGATED = -0.5;
const INTENSIFIED = 1.5;
/** A message's summed valence is squashed to -1…+1; about this much valence reads as "clearly". */
const SCALE = 4;

/** The message's sentiment, -1 (angry) … +1 (happy); 0 when nothing scored. */
export function scoreSentiment(text: string): number {
  let clean = normalise(text);
  let sum = 0;
  for (const [pattern, valence] of PHRASE_VALENCE) {
    const global = new RegExp(pattern.source, 'gu');
    clean = clean.replace(global, () => {
      sum += valence;
      return ' ';
    });
  }
  let negatedFor = 0;
  let intensified = false;
  for (const word of clean.split(/\s+/u)) {
    if (word === '') continue;
    if (NEGATORS.has(word)) {
      negatedFor = 3;
      continue;
    }
    if (INTENSIFIERS.has(word)) {
      intensified = true;
      continue;
    }
    const valence = WORD_VALENCE[word];
    if (valence === undefined || valence === 0) {
      if (negatedFor > 0) negatedFor -= 1;
      continue;
    }
    let value = valence;
    if (intensified) value *= INTENSIFIED;
    if (negatedFor > 0) value *= NEGATED;
    // Shouting the word: "this is USELESS".
    if (/[A-Z]{3,}/u.test(text) && new RegExp(`\\b${word.toUpperCase()}\\b`, 'u').test(text)) value *= 1.5;
    sum += value;
    negatedFor = 0;
    intensified = false;
  }
  if (sum < 0 && /!{1,}/u.test(text)) sum *= 1.2;
  return Math.tanh(sum / SCALE);
}

/** The summed score of the newest `window` messages (each -1…+1). */
export function recentSentiment(messages: readonly string[], window: number): number {
  const recent = messages.slice(-Math.max(1, Math.floor(window)));
  return recent.reduce((total, text) => total + scoreSentiment(text), 0);
}
