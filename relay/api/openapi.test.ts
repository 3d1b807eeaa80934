import { describe, expect, it } from 'vitest';
import { staticApp } from '../test-support/test-app.ts';

describe('GET /api/v1/openapi.json', () => {
  it('documents every API route with schemas from the shared protocol', async () => {
    const res = await staticApp({ version: '9.9.9' }).request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; info: { version: string }; paths: Record<string, Record<string, { responses: object; requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/health', '/client-config', '/handoffs', '/conversations/{id}', '/conversations/{id}/messages',
        '/conversations/{id}/events', '/agent/login', '/agent/presence', '/agent/queue', '/agent/events',
        '/agent/conversations/{id}/claim', '/agent/conversations/{id}/messages', '/agent/conversations/{id}/resolve',
        '/agent/conversations/{id}/return',
      ]),
    );
    const create = doc.paths['/handoffs']!.post!.requestBody!.content['application/json']!.schema;
    expect(Object.keys(create.properties ?? {})).toEqual(['reason', 'summary', 'transcript']);
  });
});
