/**
 * How loud a point of the audio graph is right now, for the voice visual: an AnalyserNode tapped
 * off the graph (it passes nothing on), read on demand from the main thread. Reading costs one
 * copy of 512 samples, so a 60 Hz animation frame can afford it.
 */
export interface LevelMeter {
  /** Loudness of the last ~10 ms, 0 (silence, below -60 dBFS) to 1 (full scale). */
  read(): number;
  disconnect(): void;
}

/** The floor of the scale: quieter than this reads as 0. */
const FLOOR_DB = -60;

/** RMS of a block as 0..1 on a decibel scale from FLOOR_DB to 0 dBFS (how loudness is heard). */
export function loudness(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
}

export function meterAudio(context: BaseAudioContext, source: AudioNode): LevelMeter {
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const block = new Float32Array(analyser.fftSize);
  return {
    read() {
      analyser.getFloatTimeDomainData(block);
      return loudness(block);
    },
    disconnect() {
      try {
        source.disconnect(analyser);
      } catch {
        // Already disconnected with the rest of the graph.
      }
    },
  };
}
