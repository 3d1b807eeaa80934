import { describe, expect, it } from 'vitest';
import { resumeOnGesture } from './resume-on-gesture.ts';

class FakeContext extends EventTarget {
  state = 'suspended';
  resumeCalls = 0;
  allowed = false;
  async resume(): Promise<void> {
    this.resumeCalls += 1;
    if (!this.allowed) throw new DOMException('needs a gesture', 'NotAllowedError');
    this.state = 'running';
    this.dispatchEvent(new Event('statechange'));
  }
}

describe('resumeOnGesture', () => {
  it('tries at once, then on the first gesture, then stops listening', async () => {
    const context = new FakeContext();
    const page = new EventTarget();
    resumeOnGesture(context, page);
    expect(context.resumeCalls).toBe(1);
    await Promise.resolve();
    expect(context.state).toBe('suspended');
    context.allowed = true;
    page.dispatchEvent(new Event('pointerdown'));
    await Promise.resolve();
    expect(context.state).toBe('running');
    page.dispatchEvent(new Event('keydown'));
    expect(context.resumeCalls).toBe(2);
  });

  it('does nothing for a running context, and can be cancelled', () => {
    const running = new FakeContext();
    running.state = 'running';
    resumeOnGesture(running, new EventTarget());
    expect(running.resumeCalls).toBe(0);

    const context = new FakeContext();
    const page = new EventTarget();
    const stop = resumeOnGesture(context, page);
    stop();
    page.dispatchEvent(new Event('click'));
    expect(context.resumeCalls).toBe(1);
  });
});
