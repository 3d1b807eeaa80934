import { describe, expect, it } from 'vitest';
import { speakableText } from './speakable-text.ts';

describe('speakableText', () => {
  it.each([
    ['Plain sentence.', 'Plain sentence.'],
    ['This is **very** important.', 'This is very important.'],
    ['This is *quite* nice and _subtle_.', 'This is quite nice and subtle.'],
    ['## Heading', 'Heading'],
    ['- first item', 'first item'],
    ['* starred item', 'starred item'],
    ['1. First step.', '1. First step.'],
    ['Run `npm test` now.', 'Run npm test now.'],
    ['See [the docs](https://x.y/z) for more.', 'See the docs for more.'],
    ['> quoted words', 'quoted words'],
    ['---', ''],
    ['Multiply 2 * 3 = 6.', 'Multiply 2 3 = 6.'],
    ['Keep snake_case_names.', 'Keep snake_case_names.'],
  ])('%j -> %j', (input, expected) => {
    expect(speakableText(input)).toBe(expected);
  });
});
