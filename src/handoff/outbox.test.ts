import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutgoingMessage } from './handoff-storage.ts';
import { OutboxSender, without } from './outbox.ts';
import { RelayError } from '../net/relay-error.ts';

function setup(failures: Error[] = []) {
  let queue: OutgoingMessage[] = [];
  const posted: string[] = [];
  const refused: string[] = [];
  const sender = new OutboxSender({
    next: () => (queue[0] ? { conversationId: 'c', token: 't', message: queue[0] } : null),
    post: async (_id, _token, message) => {
      const error = failures.shift();
      if (error) throw error;
      posted.push(message.text);
    },
    onSent: (id) => void (queue = without(queue, id)),
    onRefused: (id) => {
      refused.push(id);
      queue = without(queue, id);
    },
    retryDelayMs: 1000,
  });
  const add = (text: string) => {
    queue = [...queue, { clientMessageId: text, text }];
    sender.kick();
  };
  return { sender, add, posted, refused, queue: () => queue };
}

describe('the outbox sender', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('posts in order, one at a time, picking up words added meanwhile', async () => {
    const t = setup();
    t.add('one');
    t.add('two');
    await vi.advanceTimersByTimeAsync(0);
    t.add('three');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.posted).toEqual(['one', 'two', 'three']);
    expect(t.queue()).toEqual([]);
  });

  it('waits and tries again after a failure worth retrying; a kick (back online) does not wait', async () => {
    const t = setup([new RelayError(0, 'network', 'offline'), new RelayError(503, 'unavailable', 'busy')]);
    t.add('one');
    await vi.advanceTimersByTimeAsync(999);
    expect(t.posted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.posted).toEqual([]);
    t.sender.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.posted).toEqual(['one']);
  });

  it('waits longer after each failure in a row, and as long as the relay asks with Retry-After', async () => {
    const t = setup([
      new RelayError(0, 'network', 'offline'),
      new RelayError(503, 'unavailable', 'busy'),
      new RelayError(429, 'rate_limited', 'slow down', 10_000),
    ]);
    t.add('one');
    await vi.advanceTimersByTimeAsync(1000); // second try, after 1 s
    await vi.advanceTimersByTimeAsync(1999);
    expect(t.posted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1); // third try, after 2 s: the relay asks for 10 s
    await vi.advanceTimersByTimeAsync(9999);
    expect(t.posted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.posted).toEqual(['one']);
  });

  it('gives up on words refused for good and goes on with the next', async () => {
    const t = setup([new RelayError(400, 'invalid_body', 'too long')]);
    t.add('one');
    t.add('two');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.refused).toEqual(['one']);
    expect(t.posted).toEqual(['two']);
  });

  it('stops retrying when stopped or disposed', async () => {
    const t = setup([new RelayError(0, 'network', 'offline')]);
    t.add('one');
    await vi.advanceTimersByTimeAsync(0);
    t.sender.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.posted).toEqual([]);
    t.sender.dispose();
    t.sender.kick();
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.posted).toEqual([]);
  });
});
