import { describe, expect, it } from 'vitest';
import { SentenceSplitter, splitSentences, type SentenceSplitterOptions } from './sentence-splitter.ts';

const NO_EARLY_CUT: SentenceSplitterOptions = { firstChunkMinWords: 0 };

/** Splits `text` fed in pieces of the given style; the result must not depend on the pieces. */
function split(text: string, options: SentenceSplitterOptions = NO_EARLY_CUT): string[] {
  const whole = feed([text], options);
  const byChar = feed([...text], options);
  const byWord = feed(text.split(/(?=\s)/u), options);
  expect(byChar).toEqual(whole);
  expect(byWord).toEqual(whole);
  return whole;
}

function feed(pieces: string[], options: SentenceSplitterOptions): string[] {
  const splitter = new SentenceSplitter(options);
  const out: string[] = [];
  for (const piece of pieces) out.push(...splitter.push(piece));
  out.push(...splitter.flush());
  return out;
}

async function* tokens(pieces: string[]): AsyncGenerator<string> {
  for (const piece of pieces) yield piece;
}

describe('sentence ends', () => {
  it.each([
    ['Hello there. How are you?', ['Hello there.', 'How are you?']],
    ['Wow! That is great.', ['Wow!', 'That is great.']],
    ['Really?! I had no idea.', ['Really?!', 'I had no idea.']],
    ['Is it? Yes. It is!', ['Is it?', 'Yes.', 'It is!']],
    ['One sentence only', ['One sentence only']],
    ['Trailing stop.', ['Trailing stop.']],
    ['  Spaces around.   Next one.  ', ['Spaces around.', 'Next one.']],
    ['', []],
    ['   ', []],
  ])('%j', (text, expected) => {
    expect(split(text)).toEqual(expected);
  });

  it('keeps closing quotes and brackets with the sentence they end', () => {
    expect(split('He said "Stop." Then he left.')).toEqual(['He said "Stop."', 'Then he left.']);
    expect(split('It works (mostly.) Try it.')).toEqual(['It works (mostly.)', 'Try it.']);
    expect(split('She asked, “Why?” Nobody knew.')).toEqual(['She asked, “Why?”', 'Nobody knew.']);
    expect(split('This is **important.** Remember it.')).toEqual(['This is **important.**', 'Remember it.']);
  });

  it('does not cut inside quoted speech or a name with a mark', () => {
    expect(split('"Really?" she asked. Yes.')).toEqual(['"Really?" she asked.', 'Yes.']);
    expect(split('Yahoo! is a company.')).toEqual(['Yahoo! is a company.']);
  });

  it('cuts before a quoted or bracketed next sentence', () => {
    expect(split('Fine. "Next" is quoted.')).toEqual(['Fine.', '"Next" is quoted.']);
  });
});

describe('abbreviations', () => {
  it.each([
    ['Dr. Smith will see you now.'],
    ['Mr. and Mrs. Brown arrived.'],
    ['Ask Ms. Lee or Prof. Chen.'],
    ['Use fruit, e.g. apples or pears.'],
    ['Use fruit, e.g. Apples or pears.'],
    ['That is, i.e. the second one.'],
    ['Cats vs. Dogs is a classic debate.'],
    ['The U.S. Army is large.'],
    ['Bring pens, paper, etc. and a laptop.'],
    ['Meet at 10.30 a.m. sharp tomorrow.'],
    ['J. K. Rowling wrote it.'],
    ['See Fig. 3 for details.'],
    ['It weighs approx. Five kilos.'],
    ['Room No. 5 is free.'],
    ['He lives on St. Louis Avenue.'],
  ])('does not cut %j', (text) => {
    expect(split(text)).toEqual([text]);
  });

  it('does cut after an abbreviation that ends a sentence when a new one clearly starts', () => {
    expect(split('I moved to the U.S. The weather is nice.')).toEqual(['I moved to the U.S.', 'The weather is nice.']);
    expect(split('We meet at 10 a.m. Then we eat.')).toEqual(['We meet at 10 a.m.', 'Then we eat.']);
    expect(split('Apples, pears, etc. It was a feast.')).toEqual(['Apples, pears, etc.', 'It was a feast.']);
    expect(split('The answer is no. The rule is clear.')).toEqual(['The answer is no.', 'The rule is clear.']);
  });

  it('does not cut before a lower-case word, whatever precedes the dot', () => {
    expect(split('The approx. value and the misc. stuff stay.')).toEqual(['The approx. value and the misc. stuff stay.']);
  });
});

describe('numbers, times and addresses', () => {
  it.each([
    ['Version 2.1 is out now.'],
    ['Pi is about 3.14 in most cases.'],
    ['It costs $4.99 today.'],
    ['The meeting is at 10:30 today.'],
    ['The meeting is at 10.30 a.m. today.'],
    ['Visit example.com for more.'],
    ['Open https://x.y/z.html in a browser.'],
    ['Mail me at jane.doe@example.org please.'],
    ['Install node.js first.'],
    ['It grew by 1,234.5 units.'],
  ])('does not cut %j', (text) => {
    expect(split(text)).toEqual([text]);
  });

  it('cuts after a number, URL or domain that ends a sentence', () => {
    expect(split('The answer is 42. That is all.')).toEqual(['The answer is 42.', 'That is all.']);
    expect(split('Pi is 3.14. Roughly.')).toEqual(['Pi is 3.14.', 'Roughly.']);
    expect(split('See example.com. It has more.')).toEqual(['See example.com.', 'It has more.']);
    expect(split('Go to https://x.y/z.html. Then click.')).toEqual(['Go to https://x.y/z.html.', 'Then click.']);
  });
});

describe('lists and paragraphs', () => {
  it('keeps list numbers with their item and cuts between items', () => {
    expect(split('Steps:\n1. Open the box.\n2. Take it out.\n3. Enjoy')).toEqual([
      'Steps:',
      '1. Open the box.',
      '2. Take it out.',
      '3. Enjoy',
    ]);
  });

  it('keeps a list number at the very start', () => {
    expect(split('1. First, mix the flour.')).toEqual(['1. First, mix the flour.']);
  });

  it('cuts at paragraph breaks even without punctuation', () => {
    expect(split('Heading\n\nBody text here')).toEqual(['Heading', 'Body text here']);
    expect(split('First line\nSecond line')).toEqual(['First line', 'Second line']);
  });

  it('ignores leading and repeated blank lines', () => {
    expect(split('\n\nHello.\n\n\nWorld.\n')).toEqual(['Hello.', 'World.']);
  });

  it('handles bullet lists', () => {
    expect(split('- apples\n- pears')).toEqual(['- apples', '- pears']);
  });
});

describe('ellipses', () => {
  it('does not cut when the thought trails on', () => {
    expect(split('Well... maybe not.')).toEqual(['Well... maybe not.']);
    expect(split('Well… maybe not.')).toEqual(['Well… maybe not.']);
  });

  it('cuts when a new sentence starts after the ellipsis', () => {
    expect(split('I waited... Nothing happened.')).toEqual(['I waited...', 'Nothing happened.']);
    expect(split('I waited… Nothing happened.')).toEqual(['I waited…', 'Nothing happened.']);
  });

  it('keeps an ellipsis at the end', () => {
    expect(split('And then...')).toEqual(['And then...']);
  });
});

describe('first-chunk early cut', () => {
  const early: SentenceSplitterOptions = { firstChunkMinWords: 6 };

  it('cuts the first chunk at a clause mark once it is long enough', () => {
    expect(split('The weather in Paris today is sunny, with a high of 21 degrees. Enjoy it, friend.', early)).toEqual([
      'The weather in Paris today is sunny,',
      'with a high of 21 degrees.',
      'Enjoy it, friend.',
    ]);
  });

  it('does not cut a short first clause', () => {
    expect(split('Sure, here is the answer.', early)).toEqual(['Sure, here is the answer.']);
  });

  it('applies to the first chunk only', () => {
    expect(split('Hi. This second sentence is quite long, but it is not cut early.', early)).toEqual([
      'Hi.',
      'This second sentence is quite long, but it is not cut early.',
    ]);
  });

  it('cuts at semicolons, colons and dashes too', () => {
    expect(split('There are several things to consider here; first the cost.', early)).toEqual([
      'There are several things to consider here;',
      'first the cost.',
    ]);
    expect(split('Here is what you need to know today: it rains.', early)).toEqual([
      'Here is what you need to know today:',
      'it rains.',
    ]);
    expect(split('This is the one thing I would do — nothing else.', early)).toEqual([
      'This is the one thing I would do —',
      'nothing else.',
    ]);
  });

  it('does not cut inside numbers with commas', () => {
    expect(split('The population of the city is 1,234,567 people.', early)).toEqual([
      'The population of the city is 1,234,567 people.',
    ]);
  });

  it('is on by default', () => {
    expect(feed(['One two three four five six, seven.'], {})).toEqual(['One two three four five six,', 'seven.']);
  });
});

describe('overlong chunks', () => {
  it('cuts at the last clause mark before the limit', () => {
    const text = 'alpha beta gamma, delta epsilon zeta eta theta iota kappa lambda';
    expect(split(text, { firstChunkMinWords: 0, maxChunkChars: 40 })).toEqual([
      'alpha beta gamma,',
      'delta epsilon zeta eta theta iota kappa',
      'lambda',
    ]);
  });

  it('cuts a word that is longer than the limit', () => {
    expect(feed(['abcdefghij'], { firstChunkMinWords: 0, maxChunkChars: 4 })).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('streaming', () => {
  it('yields a sentence as soon as the next one starts, before the stream ends', async () => {
    const seen: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<string> {
      yield 'First';
      yield ' sentence.';
      yield ' Second';
      await gate;
      yield ' sentence.';
    }
    const iterator = splitSentences(slow(), NO_EARLY_CUT)[Symbol.asyncIterator]();
    const first = await iterator.next();
    seen.push(first.value ?? '');
    expect(seen).toEqual(['First sentence.']);
    release();
    expect((await iterator.next()).value).toBe('Second sentence.');
    expect((await iterator.next()).done).toBe(true);
  });

  it('waits for the next word before deciding an ambiguous cut', () => {
    const splitter = new SentenceSplitter(NO_EARLY_CUT);
    expect(splitter.push('Call Dr.')).toEqual([]);
    expect(splitter.push(' ')).toEqual([]);
    expect(splitter.push('Smith. ')).toEqual([]);
    expect(splitter.push('Now')).toEqual(['Call Dr. Smith.']);
    expect(splitter.flush()).toEqual(['Now']);
  });

  it('stops pulling tokens when the consumer stops', async () => {
    let finished = false;
    async function* source(): AsyncGenerator<string> {
      try {
        for (let i = 0; i < 100; i += 1) yield `Sentence ${i}. `;
      } finally {
        finished = true;
      }
    }
    for await (const sentence of splitSentences(source(), NO_EARLY_CUT)) {
      expect(sentence).toBe('Sentence 0.');
      break;
    }
    expect(finished).toBe(true);
  });

  it('splits an async token stream end to end', async () => {
    const out: string[] = [];
    for await (const s of splitSentences(tokens(['Hello', ' Dr', '.', ' Who', '.', ' 3', '.', '14 is pi', '.']), NO_EARLY_CUT)) {
      out.push(s);
    }
    expect(out).toEqual(['Hello Dr. Who.', '3.14 is pi.']);
  });
});
