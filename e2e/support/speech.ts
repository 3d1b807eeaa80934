import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { audioDir } from './paths.ts';

/**
 * Steady background sounds a real microphone picks up, all made with sox:
 * - `hum`: mains hum, 50 Hz with the harmonics a ground loop or a transformer adds (100-250 Hz,
 *   the odd ones stronger);
 * - `buzz`: mains buzz, 60 Hz with every harmonic up to 8 kHz falling 6 dB per octave (a
 *   sawtooth: a ground loop through an amplifier, a light dimmer);
 * - `rumble`: traffic or ventilation rumble, brown noise low-passed at 80 Hz (mostly 20-80 Hz);
 * - `brown`: a fan or an air conditioner, brown noise (6 dB less per octave, no low-pass);
 * - `pink`: broadband room noise, pink noise (3 dB less per octave).
 */
export type BackgroundKind = 'hum' | 'buzz' | 'rumble' | 'brown' | 'pink';

/** A background sound at an RMS level in dBFS (0: a full-scale square wave; -3: a full-scale sine). */
export interface Background {
  background: BackgroundKind;
  dbfs: number;
}

/** A piece of the fake microphone's input: spoken text (espeak-ng), silence or noise. */
export type Clip =
  | { speak: string }
  | { silence: number }
  /** White noise at the given amplitude (0..1) for the given seconds. */
  | { noise: number; seconds: number }
  /** A background sound alone for the given seconds. */
  | (Background & { seconds: number });

/**
 * Writes a 16 kHz mono 16-bit WAV made of the clips in order and returns its path; `under`, a
 * background sound mixed under the whole file (speech over hum). Cached by content under
 * fixtures/audio, so repeated runs reuse the file.
 */
export function microphoneWav(clips: Clip[], under?: Background): string {
  const withBackground = under !== undefined || clips.some((clip) => 'background' in clip);
  // Files without a background keep the names they always had; with one, the recipe's version counts.
  const recipe = withBackground ? [clips, under ?? null, BACKGROUND_RECIPE] : clips;
  const key = createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 16);
  mkdirSync(audioDir, { recursive: true });
  const out = join(audioDir, `mic-${key}.wav`);
  if (existsSync(out)) return out;
  const parts = clips.map((clip, index) => renderClip(clip, join(audioDir, `part-${key}-${index}.wav`)));
  const tmp = `${out}.tmp.wav`;
  execFileSync('sox', [...parts, tmp]);
  if (under) {
    const seconds = Number(execFileSync('soxi', ['-D', tmp], { encoding: 'utf8' }).trim());
    const bed = renderBackground(under, seconds, join(audioDir, `part-${key}-bed.wav`));
    const mixed = `${out}.mixed.wav`;
    execFileSync('sox', ['-m', '-v', '1', tmp, '-v', '1', bed, ...format, mixed, 'trim', '0', String(seconds)]);
    renameSync(mixed, tmp);
  }
  renameSync(tmp, out);
  return out;
}

const format = ['-r', '16000', '-c', '1', '-b', '16'];
/** Intermediate files: float, so levels set later lose nothing to 16-bit steps. */
const floatFormat = ['-r', '16000', '-c', '1', '-e', 'floating-point', '-b', '32'];

function renderClip(clip: Clip, out: string): string {
  if ('speak' in clip) {
    const raw = `${out}.espeak.wav`;
    execFileSync('espeak-ng', ['-s', '160', '-w', raw, clip.speak]);
    execFileSync('sox', [raw, ...format, out]);
  } else if ('silence' in clip) {
    execFileSync('sox', ['-n', ...format, out, 'trim', '0', String(clip.silence)]);
  } else if ('background' in clip) {
    renderBackground(clip, clip.seconds, out);
  } else {
    execFileSync('sox', ['-n', ...format, out, 'synth', String(clip.seconds), 'whitenoise', 'vol', String(clip.noise)]);
  }
  return out;
}

/** Bumped when a background sound is made differently, so cached files are made again. */
const BACKGROUND_RECIPE = 2;

/** Mains hum: frequency and relative amplitude of each harmonic. */
const HUM: [number, number][] = [
  [50, 1],
  [100, 0.4],
  [150, 0.6],
  [200, 0.15],
  [250, 0.3],
];

/** Renders a background sound of `seconds` at its RMS level into `out` (16 kHz, 16-bit). */
function renderBackground({ background, dbfs }: Background, seconds: number, out: string): string {
  const raw = `${out}.raw.wav`;
  const length = String(seconds);
  if (background === 'hum') {
    const tones = HUM.map(([frequency, amplitude], index) => {
      const tone = `${out}.tone${index}.wav`;
      execFileSync('sox', ['-n', ...floatFormat, tone, 'synth', length, 'sine', String(frequency), 'vol', String(amplitude / 4)]);
      return tone;
    });
    execFileSync('sox', ['-m', ...tones.flatMap((tone) => ['-v', '1', tone]), ...floatFormat, raw]);
  } else if (background === 'buzz') {
    // Made at 48 kHz, so the sawtooth's harmonics above 8 kHz are filtered out, not folded back.
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-e', 'floating-point', '-b', '32', raw, 'synth', length, 'sawtooth', '60', 'gain', '-12', 'rate', '16000']);
  } else if (background === 'rumble') {
    execFileSync('sox', ['-n', ...floatFormat, raw, 'synth', length, 'brownnoise', 'gain', '-12', 'highpass', '15', 'lowpass', '80', 'lowpass', '80']);
  } else if (background === 'brown') {
    execFileSync('sox', ['-n', ...floatFormat, raw, 'synth', length, 'brownnoise', 'gain', '-12', 'highpass', '15']);
  } else {
    execFileSync('sox', ['-n', ...floatFormat, raw, 'synth', length, 'pinknoise', 'gain', '-12']);
  }
  execFileSync('sox', [raw, ...format, out, 'gain', (dbfs - rmsDbfs(raw)).toFixed(2)]);
  return out;
}

/** A file's RMS level in dBFS, as sox's `stat` measures it. */
function rmsDbfs(path: string): number {
  const { stderr } = spawnSync('sox', [path, '-n', 'stat'], { encoding: 'utf8' });
  const match = /RMS\s+amplitude:\s+([\d.e+-]+)/.exec(stderr);
  if (!match) throw new Error(`sox stat gave no RMS level for ${path}: ${stderr}`);
  return 20 * Math.log10(Number(match[1]));
}
