import { describe, expect, it } from '@jest/globals';
import { isPlainText, plainTextProblem, storableJson, storableText } from './plain-text.js';

describe('plain text (DOMAIN.md: no NUL, lone surrogates or control characters but tab and newline; NFC)', () => {
  it.each([
    ['ordinary text', 'Prison Podgorica'],
    ['Albanian', 'Drejtoria e Përgjithshme e Burgjeve, Durrës'],
    ['Serbian Cyrillic', 'Завод за извршење кривичних санкција, Ниш'],
    ['tab and newline', 'line one\n\tline two'],
    ['a surrogate pair (an emoji, U+1F600)', 'ok \u{1F600}'],
    ['the empty string', ''],
    ['U+FFFD itself', 'a\uFFFDb'],
  ])('accepts %s', (_, value) => {
    expect(plainTextProblem(value)).toBeUndefined();
    expect(isPlainText(value)).toBe(true);
  });

  it.each([
    ['a NUL', 'Prison\u0000Podgorica', 'nul', 6],
    ['a lone high surrogate', 'ab\ud800', 'lone-surrogate', 2],
    ['a lone low surrogate', '\udc00x', 'lone-surrogate', 0],
    ['a high surrogate followed by no low one', 'a\ud800b', 'lone-surrogate', 1],
    ['a carriage return', 'a\r\nb', 'control-character', 1],
    ['an escape (U+001B)', 'x\u001b[31m', 'control-character', 1],
    ['DEL (U+007F)', 'x\u007f', 'control-character', 1],
    ['a C1 control (U+0085)', 'x\u0085', 'control-character', 1],
    ['decomposed text (e + U+0308, not NFC)', 'Durre\u0308s', 'not-nfc', 4],
  ])('refuses %s, naming the fault and where it is', (_, value, fault, offset) => {
    const problem = plainTextProblem(value);
    expect(problem).toMatchObject({ fault, offset });
    expect(problem?.message).toContain(`offset ${offset}`);
    expect(isPlainText(value)).toBe(false);
  });

  it('never quotes the text in its message', () => {
    expect(plainTextProblem('secret\u0000name')?.message).not.toContain('secret');
  });
});

describe('storableText', () => {
  it('replaces NUL and lone surrogates by U+FFFD and keeps everything else', () => {
    expect(storableText('Prison\u0000Podgorica')).toBe('Prison\uFFFDPodgorica');
    expect(storableText('a\ud800b\udc00c')).toBe('a\uFFFDb\uFFFDc');
    expect(storableText('ok \u{1F600} \r\u001b Ниш')).toBe('ok \u{1F600} \r\u001b Ниш');
  });

  it('returns the same string when there is nothing to replace', () => {
    const text = 'Завод, Ниш';
    expect(storableText(text)).toBe(text);
  });
});

describe('storableJson', () => {
  it('replaces the escapes jsonb refuses and keeps the JSON what it was otherwise', () => {
    const value = { name: 'Prison\u0000Podgorica', note: 'a\ud800b', list: ['\udc00', 'x\u0001'] };
    const json = storableJson(JSON.stringify(value));
    expect(JSON.parse(json)).toEqual({
      name: 'Prison\uFFFDPodgorica',
      note: 'a\uFFFDb',
      list: ['\uFFFD', 'x\u0001'],
    });
  });

  it('is the JSON of the value with its text made storable, character for character', () => {
    const value = { a: ['x\u0000y', 'z\ud800'], 'k\u0000': 1 };
    const storable = { a: ['x\uFFFDy', 'z\uFFFD'], 'k\uFFFD': 1 };
    expect(storableJson(JSON.stringify(value))).toBe(JSON.stringify(storable));
  });

  it('keeps escaped surrogate pairs and text that only looks like an escape', () => {
    expect(storableJson('"\\ud83d\\ude00"')).toBe('"\\ud83d\\ude00"');
    const literal = JSON.stringify({ path: 'C:\\u0000\\ud800' });
    expect(storableJson(literal)).toBe(literal);
  });
});
