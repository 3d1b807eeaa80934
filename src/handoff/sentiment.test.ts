import { describe, expect, it } from 'vitest';
import { recentSentiment, scoreSentiment } from './sentiment.ts';

describe('the sentiment of one message', () => {
  it('is clearly negative for an angry caller', () => {
    expect(scoreSentiment('This is useless, you are not helping and I hate it!')).toBeLessThan(-0.8);
    expect(scoreSentiment("I'm so fed up with this stupid thing")).toBeLessThan(-0.8);
    expect(scoreSentiment('What a waste of time.')).toBeLessThan(-0.5);
  });

  it('is positive for a pleased one, and zero for plain requests', () => {
    expect(scoreSentiment('Great, thanks a lot, that was really helpful!')).toBeGreaterThan(0.8);
    expect(scoreSentiment('What is the capital of France?')).toBe(0);
    expect(scoreSentiment('I want to talk to a human agent, please.')).toBe(0);
  });

  it('flips and softens a negated word', () => {
    expect(scoreSentiment('That was not good')).toBeLessThan(0);
    expect(scoreSentiment('not good')).toBeGreaterThan(scoreSentiment('bad'));
    expect(scoreSentiment('That is not bad at all')).toBeGreaterThan(0);
  });

  it('counts intensifiers, shouting and exclamation marks', () => {
    expect(scoreSentiment('very bad')).toBeLessThan(scoreSentiment('bad'));
    expect(scoreSentiment('this is USELESS')).toBeLessThan(scoreSentiment('this is useless'));
    expect(scoreSentiment('this is useless!')).toBeLessThan(scoreSentiment('this is useless'));
  });

  it('knows a few phrases', () => {
    expect(scoreSentiment("It doesn't work")).toBeLessThan(-0.3);
    expect(scoreSentiment('You never listen')).toBeLessThan(-0.5);
  });

  it('stays within -1 … +1', () => {
    const furious = 'terrible awful useless stupid garbage worst hate '.repeat(20);
    expect(scoreSentiment(furious)).toBeGreaterThanOrEqual(-1);
    expect(scoreSentiment('great '.repeat(50))).toBeLessThanOrEqual(1);
  });
});

describe('the sentiment over recent messages', () => {
  it('adds up the newest messages within the window', () => {
    const calm = 'Where is my parcel?';
    const angry = 'This is ridiculous, it is the worst service ever!';
    expect(recentSentiment([angry, calm, calm, calm], 3)).toBe(0);
    expect(recentSentiment([calm, angry, angry], 3)).toBeLessThan(-1.5);
    // One outburst alone does not reach the default threshold (-1.5); two do.
    expect(recentSentiment([angry], 3)).toBeGreaterThan(-1.5);
  });

  it('treats a window below one as one', () => {
    expect(recentSentiment(['bad', 'good'], 0)).toBeCloseTo(scoreSentiment('good'));
  });
});
