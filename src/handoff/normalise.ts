// One way to read what someone said, for the pattern-based triggers: lower case, straight
// apostrophes, punctuation as spaces, single spaces. Transcripts and typed text then look alike.

export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/gu, "'")
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/(^|\s)'+|'+(?=\s|$)/gu, '$1')
    .replace(/\s+/gu, ' ')
    .trim();
}

export function words(text: string): string[] {
  const clean = normalise(text);
  return clean === '' ? [] : clean.split(' ');
}
