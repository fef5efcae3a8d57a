import { validateSync } from 'class-validator';
import { DeliverableEmail, findUnstorableText, isLinesText, isOneLineText, LinesText, OneLineText } from './text-rules';

describe('text rules', () => {
  it.each([
    ['Pažangios Inovacijos UAB'],
    ['株式会社 Ölçek „Žąsų Ūkis“ — e\u0301'],
    ['🐝 👩‍🔬 ﬁ'],
    ['non-characters \uFFFE\uFFFF and a no-break\u00a0space'],
  ])('one line takes %s', (text) => {
    expect(isOneLineText(text)).toBe(true);
    expect(isLinesText(text)).toBe(true);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['a tab', 'a\tb'],
    ['a line feed', 'a\nb'],
    ['a carriage return', 'a\rb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a line separator', 'a\u2028b'],
    ['a right-to-left override', 'a\u202Eb'],
    ['a left-to-right isolate', 'a\u2066b'],
    ['an unpaired high surrogate', 'a\ud83d'],
    ['an unpaired low surrogate', '\ude00a'],
  ])('one line refuses %s', (_, text) => {
    expect(isOneLineText(text)).toBe(false);
  });

  it('lines take line feeds, carriage returns and tabs, and refuse the other controls', () => {
    expect(isLinesText('a\r\nb\n\tc')).toBe(true);
    for (const text of [
      'a\u0000',
      'a\u0007',
      'a\u000b',
      'a\u000c',
      'a\u001b',
      'a\u0085',
      'a\u2029',
      'a\u202D',
      'a\ud800',
    ]) {
      expect(isLinesText(text)).toBe(false);
    }
  });

  it('finds unstorable text anywhere, in values and in keys, by path', () => {
    expect(
      findUnstorableText({
        legalName: 'ok',
        contact: { name: 'a\u0000' },
        sectorCodes: ['C26', '\ud800'],
        'bad\u0000key': 1,
        nested: [{ deep: { deeper: 'fine 🐝' } }],
      }).map((f) => f.field),
    ).toEqual(['contact.name', 'sectorCodes.1', 'bad\u0000key']);
    expect(findUnstorableText('a\u0000b')).toEqual([
      { field: 'body', message: 'body must not contain U+0000 or unpaired surrogates' },
    ]);
    expect(findUnstorableText({ ok: 'tab\tand\nnewline', n: 1, b: true, nothing: null })).toEqual([]);
  });

  it('as decorators: names the field, lets other types to their own rules', () => {
    class Dto {
      @OneLineText()
      name: unknown;

      @LinesText({ each: true })
      notes: unknown;
    }
    const errors = (value: Partial<Dto>) =>
      validateSync(Object.assign(new Dto(), value)).flatMap((e) => Object.values(e.constraints ?? {}));

    expect(errors({ name: 'UAB Gerai', notes: ['one\ntwo'] })).toEqual([]);
    expect(errors({ name: 'UAB\nBlogai', notes: ['ok', 'bad\u0007'] })).toEqual([
      'name must be text on one line, without control characters or bidirectional overrides',
      'each value in notes must be text without control characters other than line breaks and tabs, or bidirectional overrides',
    ]);
    expect(errors({ name: 42 })).toEqual([]);
  });
});

describe('DeliverableEmail', () => {
  class Contact {
    @DeliverableEmail()
    email!: string;
  }
  const errors = (email: string) => validateSync(Object.assign(new Contact(), { email })).length;

  it('takes addresses with letters of any script', () => {
    expect(errors('rūta.petrauskienė@example.lt')).toBe(0);
    expect(errors('ona@žąsų-ūkis.lt')).toBe(0);
  });

  it.each([
    ['a zero-width space', '\u200brūta@example.lt'],
    ['a zero-width joiner', 'ru\u200dta@example.lt'],
    ['a left-to-right mark', 'ona\u200e@example.lt'],
    ['a no-break space', 'ona\u00a0p@example.lt'],
    ['a line separator', 'ona\u2028@example.lt'],
  ])('refuses %s, which a mail server refuses', (_, email) => {
    expect(errors(email)).toBe(1);
  });
});
