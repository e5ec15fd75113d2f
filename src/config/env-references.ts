/**
 * `${VAR}` references in the string values of the configuration file, so that secrets live in
 * the environment (or a secret manager feeding it) rather than in a file under version control.
 */
import { childPath, fail, isObject } from './config-checks.js';

type Env = Record<string, string | undefined>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A copy of the parsed JSON `value` in which every `${VAR}` inside a string is replaced by the
 * variable's value and every `$${` by a literal `${`. Object keys are left as written.
 *
 * @throws ConfigError naming the JSON path and the variable when it is unset or the reference is
 * malformed; the message never holds a variable's value.
 */
export function substituteEnvReferences(value: unknown, env: Env, path = ''): unknown {
  if (typeof value === 'string') return substituteString(value, env, path);

  if (Array.isArray(value)) {
    return value.map((element, index) =>
      substituteEnvReferences(element, env, childPath(path, index)),
    );
  }

  if (isObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, element] of Object.entries(value)) {
      // `defineProperty`, so that a key named `__proto__` stays an ordinary property.
      Object.defineProperty(copy, key, {
        value: substituteEnvReferences(element, env, childPath(path, key)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }

  return value;
}

function substituteString(text: string, env: Env, path: string): string {
  let result = '';
  let index = 0;

  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) break;

    result += text.slice(index, dollar);

    if (text.startsWith('$${', dollar)) {
      result += '${';
      index = dollar + 3;
      continue;
    }

    if (!text.startsWith('${', dollar)) {
      result += '$';
      index = dollar + 1;
      continue;
    }

    const close = text.indexOf('}', dollar + 2);
    if (close === -1) fail(path, 'has a "${" without its closing "}" (write "$${" for a literal)');

    result += resolveReference(text.slice(dollar + 2, close), env, path);
    index = close + 1;
  }

  return result + text.slice(index);
}

function resolveReference(name: string, env: Env, path: string): string {
  // The malformed text is not echoed: it may be part of a secret written in the file itself.
  if (!NAME.test(name)) {
    fail(
      path,
      'has a malformed ${...} reference (a variable name is letters, digits and _; ' +
        'write "$${" for a literal)',
    );
  }

  const value = env[name];
  if (value === undefined) fail(path, `refers to \${${name}}, which is not set`);

  return value;
}
