// Small HTTP helpers for the relay benchmark's setup (not the measured traffic).
import { randomUUID } from 'node:crypto';

export async function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
}

/** Logs an agent in; returns the `Cookie` header value for its session. */
export async function login(base: string, agent: { email: string; password: string }): Promise<string> {
  const res = await postJson(`${base}/api/v1/agent/login`, agent);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.json)}`);
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error('login set no cookie');
  return cookie;
}

/** A device asks for a person; returns the conversation id and the device token. */
export async function createHandoff(base: string): Promise<{ id: string; token: string }> {
  const res = await postJson<{ conversation: { id: string }; token: string }>(`${base}/api/v1/handoffs`, {
    reason: { kind: 'explicit_request' },
    summary: 'Benchmark handoff',
    transcript: [],
  });
  if (res.status !== 201) throw new Error(`handoff failed: ${res.status} ${JSON.stringify(res.json)}`);
  return { id: res.json.conversation.id, token: res.json.token };
}

/** One metrics batch: `size` turns shaped like the app's reports (unique ids, so none is deduplicated). */
export function metricsBatch(size: number): string {
  const turn = () => ({
    turnId: randomUUID(),
    endedAt: new Date().toISOString(),
    source: 'voice',
    tokens: 30,
    interrupted: false,
    durations: { endpointing: 300, asr: 120, llmTtft: 200, firstSentence: 150, ttsFirstAudio: 90, playout: 40, voiceToVoice: 600, tokensPerSecond: 25, total: 2500 },
    models: { asr: 'onnx-community/whisper-base.en', llm: 'onnx-community/Qwen2.5-0.5B-Instruct', tts: 'onnx-community/Kokoro-82M-v1.0-ONNX' },
    backends: { asr: 'wasm', llm: 'webgpu', tts: 'wasm' },
    deviceClass: 'desktop',
  });
  return JSON.stringify({ turns: Array.from({ length: size }, turn) });
}
