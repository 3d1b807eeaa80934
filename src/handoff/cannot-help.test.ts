import { describe, expect, it } from 'vitest';
import { saysCannotHelp } from './cannot-help.ts';

describe('the assistant saying it cannot help', () => {
  it.each([
    "I'm sorry, I can't help with that.",
    'I cannot assist with billing questions.',
    "I'm not able to access your account.",
    "I don't know the answer to that.",
    "Sorry, I didn't catch that.",
    "That's beyond what I can do.",
    "I'm not sure what you mean.",
    'I am unable to process refunds.',
  ])('is noticed in “%s”', (reply) => {
    expect(saysCannotHelp(reply)).toBe(true);
  });

  it.each([
    'The capital of France is Paris.',
    'I can help you with that.',
    "Sure, I know a good recipe. Here's how.",
    "You can't go wrong with pasta.",
  ])('is not read into “%s”', (reply) => {
    expect(saysCannotHelp(reply)).toBe(false);
  });
});
