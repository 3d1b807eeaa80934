import { useEffect, useRef } from 'react';
import type { PipelineState } from '../../stores/session-store.ts';
import type { VoiceLevels } from '../voice-controller.ts';

/** How often the level is read and drawn: 30 times a second is smooth for a level meter. */
const TICK_MS = 33;
/** The level rises at once and falls slowly, so the visual follows syllables without flicker. */
const RELEASE = 0.8;

/**
 * The visual at the centre of the screen, driven by real signal: the microphone's level while
 * the user is heard, the reply's output level while the assistant speaks, a slow shimmer while it
 * thinks. Drawn by CSS from one custom property, updated outside React (30 renders a second
 * would be waste) on a timer rather than animation frames: on a two-core machine frames stalled
 * for seconds while the models kept both cores busy, and the visual should follow the voice
 * even then. The levels are also on
 * data attributes, for support and the browser tests. With reduced motion the size stays put and
 * only the glow follows the level.
 */
export function VoiceOrb({ levels, state }: { levels: () => VoiceLevels; state: PipelineState }) {
  const orb = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    const element = orb.current;
    if (!element) return;
    let input = 0;
    let output = 0;
    let drawn = '';
    const timer = setInterval(() => {
      const current = levels();
      input = Math.max(current.input, input * RELEASE);
      output = Math.max(current.output, output * RELEASE);
      const levelsNow = `${input.toFixed(2)} ${output.toFixed(2)}`;
      // Silence (most of the time) changes nothing, so nothing is restyled or redrawn.
      if (levelsNow === drawn) return;
      drawn = levelsNow;
      element.style.setProperty('--level', Math.max(input, output).toFixed(2));
      element.dataset.inputLevel = input.toFixed(2);
      element.dataset.outputLevel = output.toFixed(2);
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [levels]);

  return (
    <span ref={orb} className={`orb orb-${state}`} data-testid="voice-visual" data-input-level="0.00" data-output-level="0.00" aria-hidden="true">
      <span className="orb-halo" />
      <span className="orb-core" />
    </span>
  );
}
