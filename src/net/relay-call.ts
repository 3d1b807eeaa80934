import type { z } from 'zod';
import { networkError, RelayError, relayErrorOf } from './relay-error.ts';

export type RelayFetch = (input: string, init: RequestInit) => Promise<Response>;

/** A request as the clients build it: JSON headers are added here. */
export type RelayRequest = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };

/**
 * One JSON call to the relay, shared by the device and the dashboard clients: a network
 * failure, an error answer and an answer that does not match `schema` all become RelayErrors.
 */
export async function callRelay<S extends z.ZodType>(
  fetchImpl: RelayFetch,
  url: string,
  init: RelayRequest,
  schema: S,
): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      ...init,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    });
  } catch (error) {
    throw networkError(error);
  }
  if (!response.ok) throw await relayErrorOf(response);
  const parsed = schema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new RelayError(response.status, 'invalid_response', 'The relay sent an answer this app does not understand.');
  return parsed.data;
}
