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
  /** A low threshold, so each case tests the boundary rule rather than the word count. */
  const eager: SentenceSplitterOptions = { firstChunkMinWords: 2 };

  it('cuts the first chunk at a clause mark once it is long enough', () => {
    expect(split('The weather in Paris today is sunny, with a high of 21 degrees. Enjoy it, friend.', early)).toEqual([
      'The weather in Paris today is sunny,',
      'with a high of 21 degrees.',
      'Enjoy it, friend.',
    ]);
  });

  it('does not cut a short first clause', () => {
    expect(split('Sure, here is the answer.', early)).toEqual(['Sure, here is the answer.']);
    expect(split('Well, in short, it depends on the weather.', early)).toEqual(['Well, in short, it depends on the weather.']);
  });

  it('counts words up to the mark: the threshold itself is enough, one fewer is not', () => {
    expect(split('One two three four five six, seven eight.', early)).toEqual(['One two three four five six,', 'seven eight.']);
    expect(split('One two three four five, six seven eight.', early)).toEqual(['One two three four five, six seven eight.']);
  });

  it('does not count dashes or bullets as words', () => {
    expect(split('One two - three four - five, six seven.', early)).toEqual(['One two - three four - five, six seven.']);
  });

  it('applies to the first chunk only', () => {
    expect(split('Hi. This second sentence is quite long, but it is not cut early.', early)).toEqual([
      'Hi.',
      'This second sentence is quite long, but it is not cut early.',
    ]);
  });

  it('cuts once: the rest of that first sentence and every later one stay whole', () => {
    expect(
      split('The first thing to check here is the cable, then the power, then the fuse, and then the switch. After that, if it still fails, call us.', early),
    ).toEqual([
      'The first thing to check here is the cable,',
      'then the power, then the fuse, and then the switch.',
      'After that, if it still fails, call us.',
    ]);
  });

  it('keeps a reply that is one short sentence whole', () => {
    expect(split('Yes, of course.', early)).toEqual(['Yes, of course.']);
    expect(split('It is sunny today.', early)).toEqual(['It is sunny today.']);
    expect(split('Sure', early)).toEqual(['Sure']);
  });

  it('prefers a sentence end that comes before any long-enough clause', () => {
    expect(split('Good question. The short answer is that it depends, mostly on cost.', early)).toEqual([
      'Good question.',
      'The short answer is that it depends, mostly on cost.',
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

  it('keeps closing quotes and brackets with the clause they end', () => {
    expect(split('He told me the answer was "forty-two," and then he left.', early)).toEqual([
      'He told me the answer was "forty-two,"',
      'and then he left.',
    ]);
    expect(split('This is **really important,** so listen.', eager)).toEqual(['This is **really important,**', 'so listen.']);
  });

  it('is on by default', () => {
    expect(feed(['One two three four five six, seven.'], {})).toEqual(['One two three four five six,', 'seven.']);
  });

  describe('never inside a number', () => {
    it.each([
      ['The population of the city is 1,234,567 people.'],
      ['The train to the airport leaves at 3:30 every day.'],
      ['The ratio of water to flour is 2:1 by weight.'],
      ['It grew by 1,234.5 units over the year.'],
      ['Scores were 3,4 and 5 on the test.'],
    ])('%j', (text) => {
      expect(split(text, eager)).toEqual([text]);
    });

    it('cuts at a comma or colon that follows a number', () => {
      expect(split('The total for all six items was $1,000, which is a lot.', early)).toEqual([
        'The total for all six items was $1,000,',
        'which is a lot.',
      ]);
      expect(split('The meeting starts at 10:30: bring the slides.', eager)).toEqual(['The meeting starts at 10:30:', 'bring the slides.']);
    });

    it('does not cut at a dash in a range or a sum', () => {
      expect(split('The store is open from 9 - 5 on most weekdays.', eager)).toEqual(['The store is open from 9 - 5 on most weekdays.']);
      expect(split('Read pages 10 – 20 before class tomorrow.', eager)).toEqual(['Read pages 10 – 20 before class tomorrow.']);
      expect(split('It was built in 1990—2000 by the city.', eager)).toEqual(['It was built in 1990—2000 by the city.']);
      expect(split('Tonight it will be -5 degrees up there.', eager)).toEqual(['Tonight it will be -5 degrees up there.']);
    });
  });

  describe('never after an abbreviation that leads on', () => {
    it.each([
      ['Bring soft fruit e.g., apples or pears.'],
      ['Bring soft fruit e.g, apples or pears.'],
      ['Take the second one i.e., the red one.'],
      ['Take the second one (i.e., the red one).'],
      ['Ask the Prof., she knows best.'],
      ['Ask the Dr., she knows best.'],
    ])('%j', (text) => {
      expect(split(text, eager)).toEqual([text]);
    });

    it('does cut after one that can end a clause', () => {
      expect(split('Apples and pears etc., and then some bread.', eager)).toEqual(['Apples and pears etc.,', 'and then some bread.']);
      expect(split('We moved to the U.S., and we love it.', eager)).toEqual(['We moved to the U.S.,', 'and we love it.']);
    });

    it('does not take the full stop of a title for a sentence end before the clause', () => {
      expect(split('Dr. Smith and her team at the clinic, who are great, will call.', early)).toEqual([
        'Dr. Smith and her team at the clinic,',
        'who are great, will call.',
      ]);
    });
  });

  describe('never inside a URL or markup', () => {
    it('keeps a URL whole and may cut at the comma after it', () => {
      expect(split('Open https://example.com:8080/a,b;c?x=1,2 in your browser, then log in.', eager)).toEqual([
        'Open https://example.com:8080/a,b;c?x=1,2 in your browser,',
        'then log in.',
      ]);
      expect(split('Go to http://x.y/path, then sign in.', eager)).toEqual(['Go to http://x.y/path,', 'then sign in.']);
      expect(split('Write to jane.doe@example.org, she will help.', eager)).toEqual(['Write to jane.doe@example.org,', 'she will help.']);
    });

    it('does not cut inside a link label, brackets or inline code', () => {
      expect(split('See [the guide, the FAQ, the forum](https://x.y/a,b) for more help today.', eager)).toEqual([
        'See [the guide, the FAQ, the forum](https://x.y/a,b) for more help today.',
      ]);
      expect(split('Run `npm ci, npm test` first, then wait.', eager)).toEqual(['Run `npm ci, npm test` first,', 'then wait.']);
      expect(split('The last one (the red one, I think) is mine.', eager)).toEqual(['The last one (the red one, I think) is mine.']);
    });
  });

  describe('dashes and hyphens', () => {
    it('cuts at a spaced hyphen, double hyphen or en dash', () => {
      expect(split('The state-of-the-art model here is a small one - fast and cheap.', early)).toEqual([
        'The state-of-the-art model here is a small one -',
        'fast and cheap.',
      ]);
      expect(split('We worked on this for many months – and it shows.', early)).toEqual([
        'We worked on this for many months –',
        'and it shows.',
      ]);
      expect(split('We worked on this for many months -- and it shows.', early)).toEqual([
        'We worked on this for many months --',
        'and it shows.',
      ]);
    });

    it('cuts at an em dash between words, spaced or not', () => {
      expect(split('The answer is simpler than you might think—just restart it.', early)).toEqual([
        'The answer is simpler than you might think—',
        'just restart it.',
      ]);
    });

    it('never cuts a hyphenated word', () => {
      expect(split('This is a well-known, long-standing and widely-used rule.', { firstChunkMinWords: 1 })).toEqual([
        'This is a well-known,',
        'long-standing and widely-used rule.',
      ]);
      expect(split('The rules cover the pre- and post-war years in detail.', eager)).toEqual([
        'The rules cover the pre- and post-war years in detail.',
      ]);
      expect(split('Use the --force flag only when you must.', eager)).toEqual(['Use the --force flag only when you must.']);
    });

    it('does not take a bullet or a rule for a dash', () => {
      expect(split('- one two three four five six seven', eager)).toEqual(['- one two three four five six seven']);
      expect(split('one two --- three four', eager)).toEqual(['one two --- three four']);
    });
  });

  describe('release', () => {
    it('releases the clause as soon as whitespace follows the mark, before the next word', () => {
      const splitter = new SentenceSplitter(early);
      expect(splitter.push('The weather in Paris today is sunny')).toEqual([]);
      expect(splitter.push(',')).toEqual([]);
      expect(splitter.push(' ')).toEqual(['The weather in Paris today is sunny,']);
      expect(splitter.push('with a high')).toEqual([]);
      expect(splitter.push(', ')).toEqual([]);
      expect(splitter.flush()).toEqual(['with a high,']);
    });

    it('waits for the character after a mark that could still be inside a number', () => {
      const splitter = new SentenceSplitter(eager);
      expect(splitter.push('It costs about 1,')).toEqual([]);
      expect(splitter.push('000 dollars')).toEqual([]);
      expect(splitter.push(', ')).toEqual(['It costs about 1,000 dollars,']);
    });

    it('waits for the character after an em dash', () => {
      const splitter = new SentenceSplitter(eager);
      expect(splitter.push('It was built in 1990—')).toEqual([]);
      expect(splitter.push('2000 by')).toEqual([]);
      expect(splitter.flush()).toEqual(['It was built in 1990—2000 by']);
    });
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
