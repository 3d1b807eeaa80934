// Decides whether a transcript is something the user said. Whisper turns noise and silence into
// annotations ("[BLANK_AUDIO]", "(wind blowing)", "♪") or into stock phrases from its training
// subtitles; neither may start a turn.

/** Phrases Whisper produces from silence or noise that nobody says to an assistant. */
const HALLUCINATIONS = new Set([
  'you',
  'thanks for watching',
  'thank you for watching',
  'thanks for watching and please subscribe',
  'please subscribe',
  'subtitles by the amaraorg community',
]);

const ANNOTATIONS = /\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|[♪♫]/gu;

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The transcript without non-speech annotations, or null when nothing spoken remains. */
export function spokenText(transcript: string): string | null {
  const text = transcript.replace(ANNOTATIONS, ' ').replace(/\s+/gu, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(text)) return null;
  if (HALLUCINATIONS.has(normalise(text))) return null;
  return text;
}
