/**
 * Structured JSON logs (pino). Credentials are redacted by path before a line is written, so a
 * careless `log.info({ headers })` cannot leak an API key or a token.
 */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Paths whose values are replaced with `[redacted]` wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'api_key',
  'apiKey',
  'access_token',
  'accessToken',
  'password',
  'secret',
  'token',
  'authorization',
  'cookie',
  '*.api_key',
  '*.apiKey',
  '*.access_token',
  '*.accessToken',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  '*.Authorization',
  '*.cookie',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers.cookie',
  '*.headers.Cookie',
  '*.config.api_key',
  '*.config.access_token',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.api_key',
  'config.access_token',
];

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'signal',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  });
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
