/**
 * The sandbox's rungs of the error ladder. Each is a `SignalError` with a stable code, so code
 * that embeds the sandbox (the demo, the benchmarks, the CLI) can tell a refused input from a
 * bug by type, never by matching message text.
 */
import { ConfigError, InvalidInputError } from '../core/errors.js';

/** A configuration the sandbox cannot start with; `problems` lists each one with its path. */
export class SandboxConfigError extends ConfigError {
  readonly problems: string[];

  constructor(message: string, problems: string[]) {
    super('INVALID_CONFIG', message);
    this.problems = problems;
  }
}

/**
 * Fault settings that make no sense; the message names the field. The control API answers it
 * with 400, as it answers every other unreadable body.
 */
export class FaultSettingsError extends InvalidInputError {
  constructor(message: string) {
    super('VALIDATION_FAILED', message, { status: 400 });
  }
}

/** A lookup of something the sandbox's configuration does not have (an entity, a table). */
export class SandboxNotFoundError extends InvalidInputError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}
