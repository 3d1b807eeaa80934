// The judgement calls behind sentence splitting: when a full stop ends a sentence and when it
// belongs to an abbreviation, a list number or an initial. Kept apart from the scanning loop in
// sentence-splitter.ts so each rule can be read (and tested) on its own.

/** Abbreviations that are practically never the last word of a sentence: a name or a word follows. */
const NEVER_FINAL = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'rev', 'hon', 'gen', 'col', 'capt', 'lt', 'sgt', 'gov',
  'sen', 'rep', 'pres', 'fig', 'figs', 'vs', 'v', 'cf', 'approx', 'ca', 'viz', 'incl', 'dept',
  'e.g', 'i.e', 'eg', 'ie', 'esp', 'nr', 'vol', 'pp', 'ch', 'sec', 'ref',
]);

/**
 * Abbreviations that can end a sentence ("... at 10 a.m." / "... and so on, etc."). They end it
 * only when the next word is one that typically opens a sentence, so "the U.S. Army" stays whole
 * while "the U.S. The" is cut.
 */
const SOMETIMES_FINAL = new Set([
  'etc', 'a.m', 'p.m', 'am', 'pm', 'u.s', 'u.k', 'u.s.a', 'e.u', 'u.n', 'inc', 'ltd', 'co', 'corp',
  'jr', 'sr', 'st', 'mt', 'ave', 'blvd', 'rd', 'no', 'nos', 'jan', 'feb', 'mar', 'apr', 'jun',
  'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat',
  'sun', 'min', 'max', 'ft', 'lb', 'lbs', 'oz', 'km', 'kg', 'al', 'ph.d', 'phd', 'b.a', 'm.a',
  'b.sc', 'm.sc', 'm.d',
]);

/** Capitalised words that commonly open an English sentence (used after ambiguous abbreviations). */
const SENTENCE_OPENERS = new Set([
  'I', 'It', "It's", 'Its', 'The', 'This', 'That', "That's", 'These', 'Those', 'There', "There's",
  'Then', 'They', 'We', 'You', 'He', 'She', 'My', 'Our', 'Your', 'Their', 'His', 'Her', 'But',
  'And', 'So', 'If', 'When', 'While', 'After', 'Before', 'Also', 'However', 'In', 'On', 'At',
  'For', 'A', 'An', 'As', 'Here', "Here's", 'What', 'How', 'Why', 'Where', 'Who', 'Let', "Let's",
  'Please', 'Yes', 'No', 'Now', 'Today', 'Tomorrow', 'Finally', 'First', 'Second', 'Third', 'Next',
  'Overall', 'Hope', 'Thanks', 'Thank', 'Sure', 'OK', 'Okay', 'Note', 'To', 'Is', 'Are', 'Do',
  'Does', 'Can', 'Would', 'Should', 'Could', 'Will', 'Just', 'Some', 'Many', 'Most', 'All',
]);

const OPENING_PUNCTUATION = /^["'“‘(\[*_`]+/u;
const DOTTED_ABBREVIATION = /^(?:\p{L}{1,2}\.)+\p{L}{1,2}$/u;

export function isWhitespace(char: string | undefined): boolean {
  return char !== undefined && /\s/u.test(char);
}

export function isTerminator(char: string | undefined): boolean {
  return char === '.' || char === '!' || char === '?' || char === '…';
}

/** Characters that may follow the terminator and still belong to the sentence it ends. */
export function isCloser(char: string | undefined): boolean {
  return char !== undefined && `"'”’)]}»*_\``.includes(char);
}

/** Marks after which the first chunk may be cut early (clause boundaries). */
export function isClauseMark(char: string | undefined): boolean {
  return char === ',' || char === ';' || char === ':' || char === '—';
}

/** The word that starts at `start`, without opening quotes or brackets. */
function wordAt(text: string, start: number): string {
  let end = start;
  while (end < text.length && !isWhitespace(text[end])) end += 1;
  return text.slice(start, end).replace(OPENING_PUNCTUATION, '');
}

/** The non-blank run of text that ends just before `end`, and where it starts. */
function wordBefore(text: string, end: number): { word: string; start: number } {
  let start = end;
  while (start > 0 && !isWhitespace(text[start - 1])) start -= 1;
  const raw = text.slice(start, end);
  const stripped = raw.replace(OPENING_PUNCTUATION, '');
  return { word: stripped, start: start + (raw.length - stripped.length) };
}

function isUpperCaseLetter(char: string | undefined): boolean {
  return char !== undefined && /\p{Lu}/u.test(char);
}

function isLowerCaseLetter(char: string | undefined): boolean {
  return char !== undefined && /\p{Ll}/u.test(char);
}

function startsAtLineStart(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i -= 1) {
    if (text[i] === '\n') return true;
    if (!isWhitespace(text[i])) return false;
  }
  return true;
}

/** Whether the text at `index` looks like the start of a new sentence (capital or digit first). */
function looksLikeSentenceStart(text: string, index: number): boolean {
  const word = wordAt(text, index);
  const first = word[0];
  return isUpperCaseLetter(first) || (first !== undefined && /\d/u.test(first));
}

/** Whether the word at `index` typically opens a sentence; undefined while that word is still arriving. */
function opensSentence(text: string, index: number): boolean | undefined {
  let end = index;
  while (end < text.length && !isWhitespace(text[end])) end += 1;
  const word = wordAt(text, index).replace(/[,.;:!?]+$/u, '');
  // "A" could still become "Army": only a word followed by something is complete.
  if (end === text.length && word === wordAt(text, index)) return undefined;
  return SENTENCE_OPENERS.has(word);
}

/**
 * Decides whether the terminator run `text[runStart..runEnd)` ends a sentence, given that
 * whitespace follows it (after any closers) and the next sentence would start at `nextStart`.
 * Undefined: it depends on a word that has not fully arrived yet.
 */
export function endsSentence(
  text: string,
  runStart: number,
  runEnd: number,
  nextStart: number,
): boolean | undefined {
  const run = text.slice(runStart, runEnd);
  // Sentences start with a capital: a lower-case word next means the mark was inside the sentence
  // ("approx. three", '"Really?" she asked', "Yahoo! is").
  if (isLowerCaseLetter(text[nextStart])) return false;
  if (run.includes('!') || run.includes('?')) return true;
  // An ellipsis trails off mid-thought ("I think... maybe") unless a new sentence clearly begins.
  if (run === '…' || run.length > 1) return looksLikeSentenceStart(text, nextStart);

  // A single full stop: the rest of the judgement lives here.
  const { word, start } = wordBefore(text, runStart);
  if (word === '') return true;
  // "1. First item": a short number alone at the start of a line is a list marker.
  if (/^\d{1,3}$/u.test(word) && startsAtLineStart(text, start)) return false;
  // "J. K. Rowling": a lone capital is an initial.
  if (/^\p{Lu}$/u.test(word)) return false;
  const lower = word.toLowerCase();
  if (NEVER_FINAL.has(lower)) return false;
  if (SOMETIMES_FINAL.has(lower) || DOTTED_ABBREVIATION.test(word)) return opensSentence(text, nextStart);
  return true;
}
