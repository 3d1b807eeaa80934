// Custom voices are blends of Kokoro voices. A Kokoro voice file holds one 256-float style vector
// per input length (510 of them); a blend is the weighted sum of its voices' vectors, row by
// row, with the weights normalised to 1.
//
// A blend's id spells out its recipe ("blend-af_heart-600-am_michael-400": each voice with its
// share in thousandths), so the id changes whenever the blend does (audio cached per voice id
// stays right), the same blend always gets the same id, and the TTS worker needs nothing but the
// id to make the voice. Only [a-z0-9_-]: safe in URLs, cache keys and file names.

export interface VoicePart {
  /** A Kokoro voice id, like af_heart. */
  voice: string;
  /** Any positive number; only the ratios count. */
  weight: number;
}

export const KOKORO_STYLE_DIM = 256;
const PREFIX = 'blend-';
const VOICE_ID = /^[a-z]{2}_[a-z]+$/;
/** Shares are kept in thousandths: finer than any slider, and whole numbers in the id. */
const SCALE = 1000;

/**
 * The recipe in one canonical form: each voice once (repeats added up), sorted by voice, weights
 * as whole shares of SCALE that add up to exactly SCALE (largest remainders get the rounding), and
 * voices left without a share dropped. Canonical forms are fixed points, so an id read back gives
 * the same id. Throws on a voice id not in Kokoro's form or a weight that is negative or not a number.
 */
export function normaliseParts(parts: readonly VoicePart[]): VoicePart[] {
  const totals = new Map<string, number>();
  for (const { voice, weight } of parts) {
    if (!VOICE_ID.test(voice)) throw new Error(`invalid voice id "${voice}"`);
    if (!Number.isFinite(weight) || weight < 0) throw new Error(`invalid weight ${weight} for ${voice}`);
    totals.set(voice, (totals.get(voice) ?? 0) + weight);
  }
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  if (sum <= 0) return [];
  const exact = [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([voice, weight]) => ({ voice, exact: (weight / sum) * SCALE }));
  const shares = exact.map(({ voice, exact: share }) => ({ voice, weight: Math.floor(share) }));
  let left = SCALE - shares.reduce((total, part) => total + part.weight, 0);
  const byRemainder = exact.map((part, i) => ({ i, remainder: part.exact - Math.floor(part.exact) })).sort((a, b) => b.remainder - a.remainder);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    shares[i]!.weight += 1;
  }
  return shares.filter((part) => part.weight > 0);
}

/** The id of the blend of `parts`; throws unless at least two voices have a share. */
export function blendVoiceId(parts: readonly VoicePart[]): string {
  const canonical = normaliseParts(parts);
  if (canonical.length < 2) throw new Error('a blend needs at least two voices with a weight');
  return PREFIX + canonical.map(({ voice, weight }) => `${voice}-${weight}`).join('-');
}

export function isBlendVoiceId(voice: string): boolean {
  return voice.startsWith(PREFIX);
}

/** The recipe a blend id spells out (shares in thousandths); throws on anything but a canonical id. */
export function parseBlendVoiceId(id: string): VoicePart[] {
  const fields = isBlendVoiceId(id) ? id.slice(PREFIX.length).split('-') : [];
  const parts: VoicePart[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [voice, share] = [fields[i]!, fields[i + 1]!];
    if (!VOICE_ID.test(voice) || !/^[1-9]\d*$/.test(share)) throw new Error(`invalid blended voice id "${id}"`);
    parts.push({ voice, weight: Number(share) });
  }
  if (fields.length % 2 !== 0 || parts.length < 2 || blendVoiceId(parts) !== id) throw new Error(`invalid blended voice id "${id}"`);
  return parts;
}

/** The Kokoro voice files a voice id needs: a blend's voices, or the voice itself. */
export function sourceVoices(voice: string): string[] {
  return isBlendVoiceId(voice) ? parseBlendVoiceId(voice).map((part) => part.voice) : [voice];
}

/**
 * The phonemizer language of a blend: its heaviest voice's (kokoro-js takes it from the id's first
 * letter: a = American English, b = British English). Ties go to the first voice.
 */
export function blendLanguage(parts: readonly VoicePart[]): 'a' | 'b' {
  const heaviest = parts.reduce((best, part) => (part.weight > best.weight ? part : best));
  return heaviest.voice.startsWith('b') ? 'b' : 'a';
}

/**
 * The weighted sum of voices' style vectors, weights normalised to 1. Every voice must have the
 * same shape (rows of KOKORO_STYLE_DIM floats): mixing rows of different inputs lengths, or
 * a truncated file, would make a voice that speaks wrongly without failing.
 */
export function blendStyles(parts: ReadonlyArray<{ styles: Float32Array; weight: number }>): Float32Array {
  const [first] = parts;
  if (!first) throw new Error('nothing to blend');
  const length = first.styles.length;
  if (length === 0 || length % KOKORO_STYLE_DIM !== 0) throw new Error(`a voice of ${length} floats is not rows of ${KOKORO_STYLE_DIM}`);
  for (const part of parts) {
    if (part.styles.length !== length) throw new Error(`voices differ in shape: ${part.styles.length} floats against ${length}`);
    if (!Number.isFinite(part.weight) || part.weight < 0) throw new Error(`invalid weight ${part.weight}`);
  }
  const sum = parts.reduce((total, part) => total + part.weight, 0);
  if (sum <= 0) throw new Error('the weights add up to nothing');
  const blended = new Float32Array(length);
  for (const { styles, weight } of parts) {
    const share = weight / sum;
    for (let i = 0; i < length; i++) blended[i]! += share * styles[i]!;
  }
  return blended;
}
