import { describe, expect, it } from 'vitest';
import { parseKeywords } from './handoff-settings.ts';
import { matchKeyword } from './keywords.ts';

describe('configured keywords', () => {
  it('match whole words and phrases, in any case and punctuation', () => {
    expect(matchKeyword('I want to file a COMPLAINT!', ['complaint'])).toBe('complaint');
    expect(matchKeyword('This is about a data breach, right?', ['refund', 'data breach'])).toBe('data breach');
    expect(matchKeyword('Data   breach.', ['data breach'])).toBe('data breach');
  });

  it('do not match inside other words', () => {
    expect(matchKeyword('They complained a lot.', ['complaint', 'complain'])).toBeNull();
    expect(matchKeyword('No refunds here', ['refund'])).toBeNull();
  });

  it('treat the keyword as text, not a pattern', () => {
    expect(matchKeyword('a.b', ['a.b'])).toBe('a.b'); // punctuation reads as a space in both
    expect(matchKeyword('call 911 now', ['911'])).toBe('911');
    expect(matchKeyword('anything', ['.*'])).toBeNull();
  });

  it('no keywords, no match', () => {
    expect(matchKeyword('complaint', [])).toBeNull();
    expect(matchKeyword('complaint', ['  '])).toBeNull();
  });

  it('are typed as one comma-separated line', () => {
    expect(parseKeywords(' Complaint, refund ,, data  breach, complaint ')).toEqual(['complaint', 'refund', 'data breach']);
    expect(parseKeywords('')).toEqual([]);
  });
});
