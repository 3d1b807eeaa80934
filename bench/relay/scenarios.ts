// The three loads, each bounded in time or count, all against 127.0.0.1.
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { percentile } from '../stats.ts';
import { createHandoff, login, metricsBatch, postJson } from './client.ts';
import type { RelayProcess } from './relay-process.ts';
import { subscribe } from './sse.ts';

export interface ScenarioResult {
  name: string;
  detail: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Socket errors, timeouts and unexpected statuses. */
  errors: number;
  requests: number;
  extra: Record<string, number | string>;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ ...options, excludeErrorStats: false });
}

const unexpected = (result: autocannon.Result) => result.errors + result.timeouts + result.non2xx;

export async function metricsIngestion(relay: Pick<RelayProcess, 'url'>, seconds: number, connections = 10): Promise<ScenarioResult> {
  const batch = 20;
  const result = await run({
    url: relay.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/metrics',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: metricsBatch(batch) }),
      },
    ],
  });
  return {
    name: 'metrics ingestion',
    detail: `POST /api/v1/metrics, ${batch} turns/batch, ${connections} connections, ${seconds} s`,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: unexpected(result),
    requests: result.requests.total,
    extra: { turnsPerSecond: Math.round(result.requests.average * batch) },
  };
}

export async function handoffFanOut(relay: RelayProcess, seconds: number, subscribers: number): Promise<ScenarioResult> {
  const cookie = await login(relay.url, relay.agents[0]!);
  const { id, token } = await createHandoff(relay.url);
  const claimed = await postJson(`${relay.url}/api/v1/agent/conversations/${id}/claim`, {}, { cookie });
  if (claimed.status !== 200) throw new Error(`claim failed: ${claimed.status}`);
  // Half watch as the device (its conversation's stream), half as dashboards (every conversation).
  const subs = await Promise.all(
    Array.from({ length: subscribers }, (_, i) =>
      i % 2 === 0
        ? subscribe(`${relay.url}/api/v1/conversations/${id}/events`, { authorization: `Bearer ${token}` })
        : subscribe(`${relay.url}/api/v1/agent/events`, { cookie }),
    ),
  );
  const connections = 4;
  let issued = 0;
  const result = await run({
    url: relay.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: `/api/v1/agent/conversations/${id}/messages`,
        headers: { 'content-type': 'application/json', cookie },
        setupRequest: (request) => {
          // Counted here: requests still in flight when the time is up are not in autocannon's total.
          issued += 1;
          return { ...request, body: JSON.stringify({ text: `bench-sent-${performance.timeOrigin + performance.now()}`, clientMessageId: randomUUID() }) };
        },
      },
    ],
  });
  // Let the last messages arrive before counting.
  await new Promise((r) => setTimeout(r, 2000));
  for (const sub of subs) sub.close();
  const sent = issued - result.non2xx - result.errors;
  const delivered = subs.reduce((sum, sub) => sum + sub.received, 0);
  const delays = subs.flatMap((sub) => sub.delays);
  return {
    name: 'handoff fan-out',
    detail: `agent messages to 1 conversation, ${subscribers} SSE subscribers (${Math.ceil(subscribers / 2)} device, ${Math.floor(subscribers / 2)} dashboard), ${connections} connections, ${seconds} s`,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: unexpected(result),
    requests: result.requests.total,
    extra: {
      deliveredPerSecond: Math.round(delivered / seconds),
      deliveredOfExpected: `${delivered}/${sent * subscribers}`,
      // Equal when every subscriber saw every message (requests prepared but unsent at the end
      // can make the expected figure above a few too high).
      perSubscriberMinMax: `${Math.min(...subs.map((sub) => sub.received))}/${Math.max(...subs.map((sub) => sub.received))}`,
      deliveryP50: Math.round(percentile(delays, 50) ?? NaN),
      deliveryP99: Math.round(percentile(delays, 99) ?? NaN),
    },
  };
}

export async function claimContention(relay: RelayProcess, conversations: number): Promise<ScenarioResult> {
  const cookies = await Promise.all(relay.agents.map((agent) => login(relay.url, agent)));
  const ids: string[] = [];
  for (let i = 0; i < conversations; i += 1) ids.push((await createHandoff(relay.url)).id);
  // Every agent claims every conversation at about the same moment: exactly one must win each.
  let next = 0;
  const statuses = new Map<number, number>();
  const result = await run({
    url: relay.url,
    connections: cookies.length,
    amount: conversations * cookies.length,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const n = next;
          next += 1;
          return {
            ...request,
            path: `/api/v1/agent/conversations/${ids[Math.floor(n / cookies.length) % ids.length]}/claim`,
            headers: { 'content-type': 'application/json', cookie: cookies[n % cookies.length]! },
            body: '{}',
          };
        },
        onResponse: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
      },
    ],
  });
  const won = statuses.get(200) ?? 0;
  const lost = statuses.get(409) ?? 0;
  return {
    name: 'claim contention',
    detail: `${cookies.length} agents claim each of ${conversations} waiting conversations`,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // A 409 (already claimed) is the correct answer for the losers, not an error.
    errors: result.errors + result.timeouts + (result.requests.total - won - lost),
    requests: result.requests.total,
    extra: { won, lostWith409: lost, conversations, doubleClaims: Math.max(0, won - conversations) },
  };
}
