import { describe, expect, it } from '@jest/globals';
import { storableLines, storableParams } from './storable-writes.js';

describe('what projections write is storable', () => {
  it('replaces NUL and lone surrogates in text parameters and arrays of them, by U+FFFD', () => {
    const when = new Date('2026-03-01T00:00:00Z');
    expect(storableParams(['Prison\u0000Podgorica', 7, null, when, ['a\ud800', ['\udc00b']]])).toEqual([
      'Prison\uFFFDPodgorica',
      7,
      null,
      when,
      ['a\uFFFD', ['\uFFFDb']],
    ]);
  });

  it('sends a plain object as the storable JSON the driver would have sent', () => {
    const [json] = storableParams([{ name: 'MDT\u0000', list: ['\ud800'] }]);
    expect(JSON.parse(json as string)).toEqual({ name: 'MDT\uFFFD', list: ['\uFFFD'] });
  });

  it('leaves ordinary parameters alone, without copying them', () => {
    const params = ['Завод, Ниш', 'tab\tnewline\n', '\u{1F600}', 3];
    expect(storableParams(params)).toBe(params);
  });

  it('makes COPY lines storable', () => {
    expect([...storableLines(['a\u0000\tb\n', 'ok\n'])]).toEqual(['a\uFFFD\tb\n', 'ok\n']);
  });
});
