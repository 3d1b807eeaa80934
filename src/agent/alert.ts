// Getting an agent's attention for a new handoff: a short two-tone beep (WebAudio, no sound
// file to load) and a count in the tab title while the dashboard is in the background.

let context: AudioContext | undefined;

/**
 * Browsers start audio only after a user gesture: the dashboard calls this from the login
 * click (and any later click), so the beep can play when a handoff arrives unattended.
 */
export function unlockAudio(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
  } catch {
    // No Web Audio: the title and the on-screen announcement still work.
  }
}

export function beep(): void {
  unlockAudio();
  const ctx = context;
  if (!ctx) return;
  const start = ctx.currentTime + 0.01;
  for (const [offset, frequency] of [
    [0, 880],
    [0.18, 660],
  ] as const) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.17);
  }
}

/** The tab title with the number of handoffs that arrived while the agent looked elsewhere. */
export function titleWith(baseTitle: string, unseen: number): string {
  return unseen > 0 ? `(${unseen}) New handoff · ${baseTitle}` : baseTitle;
}
