/**
 * The configuration file (`SIGNAL_CONFIG`): pipelines, integrations and consent settings written
 * as JSON, with secrets referenced as `${VAR}` from the environment. It is checked as a whole
 * before anything is applied, so a file that loads is one the store can take as it is.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import type { ConsentSettings, IntegrationRecord, Pipeline } from '../store/types.js';
import {
  childPath,
  expectObject,
  fail,
  optionalArray,
  rejectUnknownKeys,
} from './config-checks.js';
import { parseConsent } from './consent-section.js';
import { substituteEnvReferences } from './env-references.js';
import { parseIntegration } from './integration-section.js';
import { findJsonSyntaxProblem } from './json-syntax.js';
import { parsePipeline } from './pipeline-section.js';

/** A configuration file, as records the store keeps. */
export interface SignalConfig {
  pipelines: Pipeline[];
  integrations: IntegrationRecord[];
  /** Absent when the file has no `consent` section: the stored settings are then left alone. */
  consent?: ConsentSettings;
}

type Env = Record<string, string | undefined>;

const TOP_LEVEL_KEYS = ['pipelines', 'integrations', 'consent'] as const;

/**
 * Reads, substitutes and checks the configuration file at `path`.
 *
 * @throws ConfigError `INVALID_CONFIG`, its message starting `config file <path>:` and naming the
 * JSON path at fault (`integrations[0].config.api_key refers to ${ACTITO_API_KEY}, which is not
 * set`). No message contains a secret's value.
 */
export function loadConfigFile(path: string, env: Env = process.env): SignalConfig {
  const text = readText(path);

  try {
    return parseConfig(parseJson(text), env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;

    throw new ConfigError('INVALID_CONFIG', `config file ${path}: ${error.message}`, {
      cause: error,
    });
  }
}

function readText(path: string): string {
  try {
    // A byte-order mark, as some Windows editors write, is not JSON.
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError('INVALID_CONFIG', `config file ${path} cannot be read (${code})`, {
      cause: error,
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Our own locator gives line and column and never quotes the text (it may hold a secret).
    const found = findJsonSyntaxProblem(text);
    const where = found === undefined ? '' : ` at line ${found.line}, column ${found.column}`;
    const problem = found === undefined ? '' : `: ${found.problem}`;

    throw new ConfigError('INVALID_CONFIG', `is not valid JSON${where}${problem}`, {
      cause: error,
    });
  }
}

function parseConfig(raw: unknown, env: Env): SignalConfig {
  const file = expectObject(substituteEnvReferences(raw, env), '');
  rejectUnknownKeys(file, TOP_LEVEL_KEYS, '');

  const integrations = optionalArray(file.integrations, 'integrations', parseIntegration);
  checkUnique(integrations, 'integrations', (integration) => integration.id, 'id', true);

  const integrationIds = new Set(integrations.map((integration) => integration.id));
  const pipelines = optionalArray(file.pipelines, 'pipelines', (entry, path) =>
    parsePipeline(entry, path, integrationIds),
  );
  checkUnique(pipelines, 'pipelines', (pipeline) => pipeline.id, 'id', true);
  // Keys are public, but they are still not echoed: the index is enough to find the line.
  checkUnique(pipelines, 'pipelines', (pipeline) => pipeline.key, 'key', false);

  return {
    pipelines,
    integrations,
    ...(file.consent === undefined ? {} : { consent: parseConsent(file.consent, 'consent') }),
  };
}

function checkUnique<T>(
  items: T[],
  section: string,
  valueOf: (item: T) => string,
  field: string,
  echo: boolean,
): void {
  const firstIndex = new Map<string, number>();

  items.forEach((item, index) => {
    const value = valueOf(item);
    const first = firstIndex.get(value);
    if (first === undefined) {
      firstIndex.set(value, index);
      return;
    }

    const firstPath = childPath(childPath(section, first), field);
    const problem = echo
      ? `"${value}" is already used by ${firstPath}`
      : `is the same as ${firstPath}`;
    fail(childPath(childPath(section, index), field), problem);
  });
}
