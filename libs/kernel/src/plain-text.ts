/**
 * Plain text (DOMAIN.md, "The envelope"; docs/decisions/0017-plain-text.md): text in commands has
 * no NUL, no lone surrogate, no control character other than tab and newline, and is in Unicode
 * normalisation form C. Text that is not is refused, never normalised: what is recorded is what
 * was sent. Text already recorded that breaks the rule is written to the read models with
 * {@link storableText} / {@link storableJson}.
 */

/** The one code of a refusal of this rule, at the HTTP edge and in the domain alike. */
export const TEXT_NOT_PLAIN = 'COMMAND.TEXT_NOT_PLAIN';

export type PlainTextFault = 'nul' | 'lone-surrogate' | 'control-character' | 'not-nfc';

export interface PlainTextProblem {
  readonly fault: PlainTextFault;
  /** The UTF-16 offset of the first offending character (not NFC: of the first that changes). */
  readonly offset: number;
  /** What is wrong, to follow "… must be plain text: " (never quotes the text itself). */
  readonly message: string;
}

const TAB = 0x09;
const NEWLINE = 0x0a;

const hex = (code: number): string => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** What makes `value` not plain text, the first fault found, or undefined when it is plain text. */
export function plainTextProblem(value: string): PlainTextProblem | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code === 0) {
      return { fault: 'nul', offset: i, message: `it contains a NUL character (U+0000) at offset ${i}` };
    }
    if ((code < 0x20 && code !== TAB && code !== NEWLINE) || (code >= 0x7f && code <= 0x9f)) {
      return {
        fault: 'control-character',
        offset: i,
        message: `it contains the control character ${hex(code)} at offset ${i} (only tab and newline are allowed)`,
      };
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      return {
        fault: 'lone-surrogate',
        offset: i,
        message: `it contains a lone surrogate (${hex(code)}) at offset ${i}: it is not valid Unicode`,
      };
    }
  }
  const normalised = value.normalize('NFC');
  if (normalised !== value) {
    let offset = 0;
    while (offset < value.length && value[offset] === normalised[offset]) offset += 1;
    return {
      fault: 'not-nfc',
      offset,
      message: `it is not in Unicode normalisation form C (NFC) from offset ${offset}: send it normalised`,
    };
  }
  return undefined;
}

export const isPlainText = (value: string): boolean => plainTextProblem(value) === undefined;

const REPLACEMENT = '\uFFFD';
/** With the `u` flag a surrogate pair is one code point: only lone surrogates match. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const LONE_SURROGATES = /[\uD800-\uDFFF]/gu;

/**
 * Text as PostgreSQL can store it: each NUL (which no `text` value may hold) and each lone
 * surrogate (which is not Unicode, and which UTF-8 cannot encode) replaced by U+FFFD. Anything
 * else is left as it is: the other control characters are valid UTF-8. Returns `text` itself when
 * there is nothing to replace.
 */
export function storableText(text: string): string {
  let safe = text.includes('\0') ? text.replaceAll('\0', REPLACEMENT) : text;
  if (LONE_SURROGATE.test(safe)) safe = safe.replace(LONE_SURROGATES, REPLACEMENT);
  return safe;
}

/** A `\u` escape PostgreSQL's `jsonb` refuses (NUL, a surrogate), or an escaped backslash. */
const JSON_ESCAPES =
  /\\(?:\\|u0000|u[dD][89abAB][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?|u[dD][c-fC-F][0-9a-fA-F]{2})/g;
const MAYBE_UNSTORABLE_JSON = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * JSON text (as `JSON.stringify` writes it) as PostgreSQL's `jsonb` can store it: the escapes of
 * NUL (`\u0000`) and of lone surrogates become U+FFFD itself, as {@link storableText} does to the
 * characters: the result is the JSON of the value with its text made storable, character for
 * character (so a value read back from `jsonb` fingerprints as the storable JSON of the event's).
 * A surrogate pair, escaped or not, is kept.
 */
export function storableJson(json: string): string {
  const text = storableText(json);
  if (!MAYBE_UNSTORABLE_JSON.test(text)) return text;
  return text.replace(JSON_ESCAPES, (escape) =>
    escape === '\\\\' || escape.length === 12 ? escape : REPLACEMENT,
  );
}
