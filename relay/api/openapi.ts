import { Hono } from 'hono';
import { openApiDocument } from './openapi-document.ts';

/** `GET /openapi.json`, built once. */
export function openApiRoutes(version = '0.0.0'): Hono {
  let document: string | null = null;
  return new Hono().get('/openapi.json', (c) => {
    document ??= JSON.stringify(openApiDocument(version));
    return c.body(document, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });
}
