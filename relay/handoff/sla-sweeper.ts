import { expireOverdue, type HandoffContext } from './conversations.ts';

/**
 * Expires overdue handoffs every `intervalMs`. Each relay process runs one; they may overlap
 * safely (each expiry is re-checked under the lock). Returns the stop function.
 */
export function startSlaSweeper(ctx: HandoffContext, intervalMs = 1_000, log: (err: unknown) => void = () => {}): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    expireOverdue(ctx)
      .catch(log)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
