import { normaliseParts, type VoicePart } from '../engines/tts/voice-blend.ts';

/** The Kokoro voices Settings offers, on their own and to blend (each model set's folder has them). */
export const VOICE_CHOICES: ReadonlyArray<{ id: string; name: string; description: string }> = [
  { id: 'af_heart', name: 'Heart', description: 'American English, female' },
  { id: 'af_bella', name: 'Bella', description: 'American English, female' },
  { id: 'am_michael', name: 'Michael', description: 'American English, male' },
  { id: 'bf_emma', name: 'Emma', description: 'British English, female' },
];

export function voiceName(id: string): string {
  return VOICE_CHOICES.find((choice) => choice.id === id)?.name ?? id;
}

/** "Heart 60 % · Michael 40 %": a blend's recipe as people read it. */
export function describeBlend(parts: readonly VoicePart[]): string {
  return normaliseParts(parts)
    .map((part) => `${voiceName(part.voice)} ${Math.round(part.weight / 10)} %`)
    .join(' · ');
}
