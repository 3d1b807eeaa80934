import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './errors.ts';
import type { ApiErrorDetail } from '../../src/protocol/errors.ts';

function toDetails(issues: z.core.$ZodIssue[]): ApiErrorDetail[] {
  return issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Validates already-parsed input against a shared schema, answering 400 `invalid_body` with each problem. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = toDetails(result.error.issues);
  const first = details[0];
  const where = first?.path ? ` at ${first.path}` : '';
  throw new HttpError(400, `invalid_${what}`, `Invalid request ${what}${where}: ${first?.message ?? 'invalid'}`, details);
}

/**
 * Reads a JSON body and validates it. Requires a JSON content type: that also makes every
 * cross-origin write a preflighted request, which CORS then restricts to allowed origins.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
  }
  const text = await c.req.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'malformed_json', 'The request body is not valid JSON.');
  }
  return validate(schema, parsed);
}
