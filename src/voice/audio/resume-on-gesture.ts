// Browsers start an AudioContext suspended until the user interacts with the page. Resume as soon
// as allowed: right away when the page already has activation (or the browser runs without the
// policy, as headless test browsers do), else on the first gesture.

const GESTURES = ['pointerdown', 'keydown', 'touchend', 'click'] as const;

/** The parts of an AudioContext this needs. */
export interface ResumableContext extends EventTarget {
  readonly state: string;
  resume(): Promise<void>;
}

/**
 * Keeps trying to resume `context` until it runs; returns a function that stops trying.
 * `gestures` is where user input is listened for (the window).
 */
export function resumeOnGesture(context: ResumableContext, gestures: EventTarget = globalThis): () => void {
  if (context.state !== 'suspended') return () => {};
  const target = gestures;
  const tryResume = (): void => {
    if (context.state === 'suspended') void context.resume().catch(() => {});
  };
  const stop = (): void => {
    for (const gesture of GESTURES) target.removeEventListener(gesture, tryResume, { capture: true });
    context.removeEventListener('statechange', onState);
  };
  const onState = (): void => {
    if (context.state !== 'suspended') stop();
  };
  for (const gesture of GESTURES) target.addEventListener(gesture, tryResume, { capture: true, passive: true });
  context.addEventListener('statechange', onState);
  tryResume();
  return stop;
}
