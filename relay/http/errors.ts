import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import type { ApiError, ApiErrorDetail } from '../../src/protocol/errors.ts';

/** A refusal the client can act on: becomes `{ error: { code, message, details? } }` with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: ApiErrorDetail[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(code: string, message: string, details?: ApiErrorDetail[]): ApiError {
  return { error: details ? { code, message, details } : { code, message } };
}

export function jsonError(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  return c.json(errorBody(code, message), status);
}

/** Maps hono's own exceptions (body limit, ...) to our codes, so every error has the same shape. */
function fromHttpException(err: HTTPException): HttpError {
  const codes: Record<number, string> = { 413: 'body_too_large', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' };
  return new HttpError(err.status, codes[err.status] ?? 'bad_request', err.message || 'Bad request');
}

type Logger = (message: string, err: unknown) => void;

/** `app.onError`: known errors as their JSON; anything else as a 500 that leaks no stack or SQL. */
export function errorHandler(log: Logger) {
  return (err: Error, c: Context): Response => {
    const known = err instanceof HttpError ? err : err instanceof HTTPException ? fromHttpException(err) : null;
    if (known) return c.json(errorBody(known.code, known.message, known.details), known.status);
    log(`${c.req.method} ${c.req.path} failed`, err);
    return c.json(errorBody('internal', 'The relay failed to handle this request.'), 500);
  };
}
