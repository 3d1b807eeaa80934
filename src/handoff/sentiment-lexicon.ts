// A small valence lexicon (-4 … +4) for the words and phrases callers use when a conversation
// goes badly, and the common positive ones that show it does not. Written for this app, in the
// spirit of AFINN; small on purpose: it only has to notice a caller getting angry.

export const WORD_VALENCE: Readonly<Record<string, number>> = {
  // anger, frustration, contempt
  angry: -3, annoyed: -2, annoying: -2, annoy: -2, awful: -3, bad: -2, broken: -2, crap: -3, crappy: -3,
  damn: -2, disappointed: -2, disappointing: -2, disgusting: -3, dumb: -3, frustrated: -3,
  frustrating: -3, furious: -4, garbage: -3, hate: -3, hated: -3, hopeless: -3, horrible: -3,
  idiot: -3, idiotic: -3, incompetent: -3, infuriating: -4, irritated: -2, irritating: -2,
  lousy: -3, mad: -2, nonsense: -2, pathetic: -3, pointless: -2, poor: -2, ridiculous: -3,
  rubbish: -3, stupid: -3, sucks: -3, terrible: -3, trash: -3, unacceptable: -3, upset: -2,
  useless: -3, waste: -2, wasted: -2, worse: -3, worst: -3, wrong: -2, shit: -4, fuck: -4,
  fucking: -4, hell: -2, wtf: -4, ugh: -2, argh: -2, outrageous: -3, absurd: -2,
  // positive
  good: 2, great: 3, thanks: 2, thank: 2, helpful: 2, perfect: 3, excellent: 3, awesome: 3,
  love: 3, nice: 2, happy: 3, glad: 2, wonderful: 3, amazing: 3, fantastic: 3, brilliant: 3,
  appreciate: 2, pleased: 2, cool: 1, fine: 1,
};

/** Multi-word expressions, matched on normalised text before the words. */
export const PHRASE_VALENCE: readonly [RegExp, number][] = [
  [/\bfed up\b/u, -3],
  [/\bsick (?:and tired )?of\b/u, -3],
  [/\bwaste of (?:my )?time\b/u, -3],
  [/\b(?:doesn't|does not|don't|do not|isn't|is not|not) (?:work|working)\b/u, -2],
  [/\b(?:makes? no|doesn't make|does not make) sense\b/u, -2],
  [/\byou (?:don't|do not|never) (?:understand|listen)\b/u, -3],
  [/\bwhat the hell\b/u, -3],
];

/** Words that flip (and soften) the next scored word within three words: "not good", "never helpful". */
export const NEGATORS = new Set([
  'not', 'no', 'never', "don't", 'dont', "doesn't", "isn't", "wasn't", "aren't", "can't", "won't", "didn't", 'hardly', 'without', 'nothing',
]);

/** Words that strengthen the next scored word: "very bad", "so annoying". */
export const INTENSIFIERS = new Set([
  'very', 'really', 'so', 'extremely', 'totally', 'absolutely', 'completely', 'utterly', 'incredibly', 'such', 'too',
]);
