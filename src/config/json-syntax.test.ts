import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findJsonSyntaxProblem } from './json-syntax.js';

describe('findJsonSyntaxProblem', () => {
  it('finds nothing wrong in texts that JSON.parse accepts', () => {
    const texts = [
      '{}',
      ' [ ] ',
      '{"a": [1, -2.5e+3, 0, true, false, null, "x\\"\\u00e9\\n"], "b": {"c": {}}}',
      '"just a string"',
      '-0.0E-7',
    ];

    const problems = texts.map(findJsonSyntaxProblem);

    for (const text of texts) assert.doesNotThrow(() => JSON.parse(text));
    assert.deepEqual(
      problems,
      texts.map(() => undefined),
    );
  });

  it('gives the line and column of the first mistake', () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';

    const problem = findJsonSyntaxProblem(text);

    assert.deepEqual(problem, { line: 3, column: 3, problem: 'expected "," or "}"' });
  });

  it('describes common slips in words', () => {
    const cases = {
      "{'a': 1}": 'expected a property name in double quotes',
      '{"a": 1': 'expected "," or "}"',
      '[1, 2,]': 'a trailing comma before "]" is not allowed',
      '{"a": "open': 'a string that is never closed',
      '{"a": 01}': 'expected "," or "}"',
      '{} {}': 'unexpected text after the end',
      '': 'unexpected end of file, expected a value',
    };

    const problems = Object.keys(cases).map((text) => findJsonSyntaxProblem(text)?.problem);

    assert.deepEqual(problems, Object.values(cases));
  });
});
