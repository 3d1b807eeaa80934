// What the TTS should read aloud from a chunk of LLM text. Small models write markdown even when
// asked not to; a voice reading "asterisk asterisk" or "hash hash" is worse than silence.

const MARKDOWN_RULES: [RegExp, string][] = [
  [/```[^`]*```/gu, ' '], // fenced code cannot be read aloud usefully
  [/`([^`]*)`/gu, '$1'],
  [/!\[([^\]]*)\]\([^)]*\)/gu, '$1'], // images: keep the alt text
  [/\[([^\]]+)\]\([^)]*\)/gu, '$1'], // links: keep the label
  [/^\s{0,3}#{1,6}\s+/gmu, ''], // headings
  [/^\s*>\s?/gmu, ''], // quotes
  [/^\s*[-*+•]\s+/gmu, ''], // bullets
  [/(\*\*|__)(.+?)\1/gu, '$2'],
  [/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,;:!?]|$)/gu, '$1$2'],
  [/^\s*([-*_])\s*(\1\s*){2,}$/gmu, ' '], // horizontal rules
  [/[*#]+/gu, ' '],
];

export function speakableText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of MARKDOWN_RULES) out = out.replace(pattern, replacement);
  return out.replace(/\s+/gu, ' ').trim();
}
