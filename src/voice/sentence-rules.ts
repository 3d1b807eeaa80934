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

const OPENING_PUNCTUATION = /^["'“‘([*_`]+/u;
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

/** Characters that may mark a clause boundary for the first chunk's early cut (see `clauseEnd`). */
export function isClauseCandidate(char: string | undefined): boolean {
  return isClauseMark(char) || char === '–' || char === '-';
}

/**
 * Whether the first chunk may end at the clause candidate `text[index]` (see `isClauseCandidate`):
 * the end of the chunk (exclusive: after the mark and any closers) if it may, null if it may not,
 * undefined while that depends on text that has not arrived.
 *
 * Decided as soon as it is certain, without waiting for the next word: a comma, semicolon or
 * colon is a boundary once whitespace follows it ("1,000", "3:30", "https://" never have that),
 * except after an abbreviation that introduces what follows ("e.g.,", "Dr.,"). A dash is one
 * when it stands between spaces ("a — b", "a - b", "a -- b") but not in a range or sum after a
 * number ("10 - 20") or as a bullet at a line start; an em dash is one between two words too
 * ("this—that"). Hyphenated words ("well-known", "pre- and post-war") never are.
 */
export function clauseEnd(text: string, index: number): number | null | undefined {
  const char = text[index];
  if (char === ',' || char === ';' || char === ':') {
    let end = index + 1;
    while (end < text.length && isCloser(text[end])) end += 1;
    if (end === text.length) return undefined;
    if (!isWhitespace(text[end])) return null;
    return introducesWhatFollows(wordBefore(text, index).word) ? null : end;
  }
  if (char === '—') {
    if (index + 1 === text.length) return undefined;
    const after = text[index + 1];
    if (isWhitespace(after)) return startsAtLineStart(text, index) ? null : index + 1;
    return isLetter(text[index - 1]) && isLetter(after) ? index + 1 : null;
  }
  if (char === '–' || char === '-') {
    // Only a spaced dash: "a - b", "a – b", "a -- b".
    if (!isWhitespace(text[index - 1]) || startsAtLineStart(text, index)) return null;
    let end = index + 1;
    while (end < text.length && text[end] === char) end += 1;
    if (end - index > 2) return null; // "---": a rule, not a dash
    if (end === text.length) return undefined;
    if (!isWhitespace(text[end])) return null; // "-5", "--flag"
    // "10 - 20", "5 – 3": a range or a sum, read as one phrase.
    let wordEnd = index;
    while (wordEnd > 0 && isWhitespace(text[wordEnd - 1])) wordEnd -= 1;
    if (/\p{N}$/u.test(wordBefore(text, wordEnd).word)) return null;
    return end;
  }
  return null;
}

/** "e.g", "i.e.", "Dr.", "vs.": an abbreviation that leads into the words after it. */
function introducesWhatFollows(word: string): boolean {
  const bare = word.replace(/\.$/u, '').toLowerCase();
  if (!NEVER_FINAL.has(bare)) return false;
  return word.endsWith('.') || bare.includes('.') || bare === 'eg' || bare === 'ie';
}

function isLetter(char: string | undefined): boolean {
  return char !== undefined && /\p{L}/u.test(char);
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
