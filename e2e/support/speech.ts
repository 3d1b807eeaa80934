import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { audioDir } from './paths.ts';

/** A piece of the fake microphone's input: spoken text (espeak-ng), silence or noise. */
export type Clip =
  | { speak: string }
  | { silence: number }
  /** White noise at the given amplitude (0..1) for the given seconds. */
  | { noise: number; seconds: number };

/**
 * Writes a 16 kHz mono 16-bit WAV made of the clips in order and returns its path.
 * Cached by content under fixtures/audio, so repeated runs reuse the file.
 */
export function microphoneWav(clips: Clip[]): string {
  const key = createHash('sha256').update(JSON.stringify(clips)).digest('hex').slice(0, 16);
  mkdirSync(audioDir, { recursive: true });
  const out = join(audioDir, `mic-${key}.wav`);
  if (existsSync(out)) return out;
  const parts = clips.map((clip, index) => renderClip(clip, join(audioDir, `part-${key}-${index}.wav`)));
  const tmp = `${out}.tmp.wav`;
  execFileSync('sox', [...parts, tmp]);
  renameSync(tmp, out);
  return out;
}

const format = ['-r', '16000', '-c', '1', '-b', '16'];

function renderClip(clip: Clip, out: string): string {
  if ('speak' in clip) {
    const raw = `${out}.espeak.wav`;
    execFileSync('espeak-ng', ['-s', '160', '-w', raw, clip.speak]);
    execFileSync('sox', [raw, ...format, out]);
  } else if ('silence' in clip) {
    execFileSync('sox', ['-n', ...format, out, 'trim', '0', String(clip.silence)]);
  } else {
    execFileSync('sox', ['-n', ...format, out, 'synth', String(clip.seconds), 'whitenoise', 'vol', String(clip.noise)]);
  }
  return out;
}
