import { InterruptableStoppingCriteria } from '@huggingface/transformers';

/**
 * A stopping criterion that trips when `signal` aborts, so `generate()` ends at the next token
 * instead of running to its length limit. Call `release()` when generation is over.
 */
export function stopOnAbort(signal: AbortSignal | undefined): { criteria: InterruptableStoppingCriteria; release: () => void } {
  const criteria = new InterruptableStoppingCriteria();
  if (!signal) return { criteria, release: () => {} };
  const interrupt = (): void => criteria.interrupt();
  if (signal.aborted) interrupt();
  signal.addEventListener('abort', interrupt, { once: true });
  return { criteria, release: () => signal.removeEventListener('abort', interrupt) };
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError');
}
