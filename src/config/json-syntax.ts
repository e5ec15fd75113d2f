/**
 * Where a JSON text stops being valid, as line and column. Node's own message is not used: for
 * some mistakes it carries no position and instead quotes a slice of the text, which in a
 * configuration file may be a secret.
 */

export interface JsonSyntaxProblem {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  problem: string;
}

class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;

/** The first syntax problem of `text`, or `undefined` when it is valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    const end = skipSpace(text, parseValue(text, skipSpace(text, 0)));
    if (end < text.length) throw new SyntaxProblem(end, 'unexpected text after the end');

    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;

    return { ...lineAndColumn(text, error.offset), problem: error.problem };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;

  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function skipSpace(text: string, at: number): number {
  let index = at;
  while (index < text.length && ' \t\n\r'.includes(text.charAt(index))) index += 1;

  return index;
}

/** Parses one value starting at `at` (no leading space) and returns the offset after it. */
function parseValue(text: string, at: number): number {
  const char = text.charAt(at);

  if (at >= text.length) throw new SyntaxProblem(at, 'unexpected end of file, expected a value');
  if (char === '{') return parseContainer(text, at, '}', true);
  if (char === '[') return parseContainer(text, at, ']', false);
  if (char === '"') return parseString(text, at);

  const literal = LITERALS.find((word) => text.startsWith(word, at));
  if (literal !== undefined) return at + literal.length;

  NUMBER.lastIndex = at;
  if (NUMBER.test(text)) return NUMBER.lastIndex;

  throw new SyntaxProblem(at, 'expected a value (a string in double quotes, number, object...)');
}

/** An object (`keyed`) or an array, from its opening bracket to after its `close`. */
function parseContainer(text: string, at: number, close: string, keyed: boolean): number {
  let index = skipSpace(text, at + 1);
  if (text.charAt(index) === close) return index + 1;

  for (;;) {
    if (keyed) {
      if (text.charAt(index) !== '"') {
        throw new SyntaxProblem(index, 'expected a property name in double quotes');
      }
      index = skipSpace(text, parseString(text, index));
      if (text.charAt(index) !== ':') throw new SyntaxProblem(index, 'expected ":"');
      index = skipSpace(text, index + 1);
    }

    index = skipSpace(text, parseValue(text, index));

    if (text.charAt(index) === close) return index + 1;
    if (text.charAt(index) !== ',') throw new SyntaxProblem(index, `expected "," or "${close}"`);

    index = skipSpace(text, index + 1);
    // A trailing comma is the most common slip in hand-written JSON: say so plainly.
    if (text.charAt(index) === close) {
      throw new SyntaxProblem(index, `a trailing comma before "${close}" is not allowed`);
    }
  }
}

function parseString(text: string, at: number): number {
  let index = at + 1;

  while (index < text.length) {
    const char = text.charAt(index);
    if (char === '"') return index + 1;
    if (char < ' ') throw new SyntaxProblem(index, 'a control character or line break in a string');

    if (char !== '\\') {
      index += 1;
      continue;
    }

    const escaped = text.charAt(index + 1);
    if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) {
      index += 6;
    } else if ('"\\/bfnrt'.includes(escaped) && escaped !== '') {
      index += 2;
    } else {
      throw new SyntaxProblem(index, 'an invalid escape sequence in a string');
    }
  }

  throw new SyntaxProblem(at, 'a string that is never closed');
}
