import type { Bucket } from './summary-client.ts';

export interface TimeWindow {
  id: '1h' | '24h' | '7d' | '30d';
  label: string;
  ms: number;
  /** Fine enough to show a trend, coarse enough that each point holds a few turns. */
  bucket: Bucket;
}

const HOUR = 60 * 60 * 1000;

export const TIME_WINDOWS: readonly TimeWindow[] = [
  { id: '1h', label: 'Last hour', ms: HOUR, bucket: '1m' },
  { id: '24h', label: 'Last 24 hours', ms: 24 * HOUR, bucket: '1h' },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * HOUR, bucket: '1h' },
  { id: '30d', label: 'Last 30 days', ms: 30 * 24 * HOUR, bucket: '1d' },
];

export const BUCKET_MS: Record<Bucket, number> = { '1m': 60_000, '5m': 5 * 60_000, '1h': HOUR, '1d': 24 * HOUR };
