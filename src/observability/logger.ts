/**
 * Structured JSON logs (pino). Credentials are removed from every line before it is written, so
 * a careless `log.info({ headers })` or a whole integration record logged for context cannot leak
 * an API key, a token, a password or a cookie.
 */
import {
  pino,
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Logger as PinoLogger,
} from 'pino';

export type Logger = PinoLogger;

/** What a secret's value is replaced with. */
export const CENSOR = '[redacted]';

/**
 * Field names whose values are secrets, compared without case, `-` or `_`: `api_key` also
 * covers `apiKey`, `API-Key` and `apikey`, and `set_cookie` covers the `Set-Cookie` header.
 */
const SECRET_FIELD_NAMES: readonly string[] = [
  'access_token',
  'api_key',
  'authorization',
  'client_secret',
  'cookie',
  'hmac_secret',
  'password',
  'proxy_authorization',
  'refresh_token',
  'secret',
  'set_cookie',
  'token',
  'x_api_key',
  'x_signature',
];

/**
 * How deep into a logged object secrets are looked for; the top-level fields are depth 1. Log
 * lines hold records and headers a few levels deep; a secret nested deeper than this is written
 * as it is, a limit accepted so that scrubbing a line stays cheap and ends on a cyclic object.
 */
export const SCRUB_DEPTH = 8;

const SECRET_NAMES = new Set(SECRET_FIELD_NAMES.map(normaliseName));

/**
 * Fastify's `req` / `res` serializers run after the scrub below and may copy headers out of the
 * raw request; these paths catch their credentials in what the serializers return.
 */
const SERIALIZED_HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-signature"]',
  'res.headers["set-cookie"]',
];

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; standard output by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    name: options.name ?? 'signal',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    formatters: { log: redactSecretFields, bindings: redactSecretFields },
    redact: { paths: SERIALIZED_HEADER_PATHS, censor: CENSOR },
  };

  const logger = options.destination ? pino(settings, options.destination) : pino(settings);
  return withScrubbedChildBindings(logger);
}

/**
 * pino runs the `bindings` formatter on the root logger's bindings only, not on a child's
 * (`log.child({ integration })`, Fastify's per-request loggers), so those are scrubbed as the
 * child is made. A child is created from its parent's prototype, so it inherits this override.
 */
function withScrubbedChildBindings(logger: Logger): Logger {
  const makeChild = logger.child;
  logger.child = function <Levels extends string = never>(
    this: Logger,
    bindings: Bindings,
    options?: ChildLoggerOptions<Levels>,
  ): PinoLogger<Levels> {
    const scrubbed = redactSecretFields(bindings);
    return Reflect.apply(makeChild, this, [scrubbed, options]) as PinoLogger<Levels>;
  };

  return logger;
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * A copy of `fields` with the value of every secret field replaced by `CENSOR`, at any depth up
 * to `SCRUB_DEPTH`, in arrays and in errors too. The caller's objects are never modified, and
 * an object without secrets is returned as it is, so a clean line costs one walk and no copy.
 */
export function redactSecretFields(fields: Record<string, unknown>): Record<string, unknown> {
  return scrubObject(fields, 1);
}

function scrub(value: unknown, depth: number): unknown {
  if (depth > SCRUB_DEPTH || typeof value !== 'object' || value === null) return value;

  if (Array.isArray(value)) return scrubArray(value, depth);
  if (value instanceof Error) return scrubError(value, depth);

  // Buffers, dates, maps and other class instances hold no named fields worth scrubbing.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;

  return scrubObject(value as Record<string, unknown>, depth);
}

function scrubObject(object: Record<string, unknown>, depth: number): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;

  for (const key of Object.keys(object)) {
    const value = object[key];
    const clean = cleanField(key, value, depth);
    if (clean === value) continue;

    copy ??= { ...object };
    copy[key] = clean;
  }

  return copy ?? object;
}

function scrubArray(array: unknown[], depth: number): unknown[] {
  let copy: unknown[] | undefined;

  for (let index = 0; index < array.length; index++) {
    const clean = scrub(array[index], depth + 1);
    if (clean === array[index]) continue;

    copy ??= [...array];
    copy[index] = clean;
  }

  return copy ?? array;
}

/**
 * An error keeps its class, message and stack, so pino's error serializer writes it as usual;
 * only its own fields and its `cause` are scrubbed.
 */
function scrubError(error: Error, depth: number): Error {
  let copy: Error | undefined;

  for (const key of [...Object.keys(error), 'cause']) {
    const value: unknown = Reflect.get(error, key);
    const clean = cleanField(key, value, depth);
    if (clean === value) continue;

    copy ??= Object.create(
      Object.getPrototypeOf(error) as object,
      Object.getOwnPropertyDescriptors(error),
    ) as Error;
    const enumerable = Object.prototype.propertyIsEnumerable.call(error, key);
    Object.defineProperty(copy, key, {
      value: clean,
      enumerable,
      writable: true,
      configurable: true,
    });
  }

  return copy ?? error;
}

function cleanField(key: string, value: unknown, depth: number): unknown {
  if (value === undefined || value === CENSOR) return value;

  return SECRET_NAMES.has(normaliseName(key)) ? CENSOR : scrub(value, depth + 1);
}

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}
