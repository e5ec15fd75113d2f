/**
 * `signal sandbox`: runs the Actito emulator until SIGINT or SIGTERM, printing what a client
 * needs to talk to it (URL, API key, entity, table) and the control endpoints.
 */
import {
  DEFAULT_SANDBOX_HOST,
  DEFAULT_SANDBOX_PORT,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  DEMO_API_KEY,
  SandboxConfigError,
  loadSandboxConfigFile,
  namedLicenceConfig,
  overrideLimits,
  parseSandboxConfig,
  startSandbox,
  type LicenceLimits,
  type SandboxConfig,
} from '../sandbox/index.js';
import { waitForShutdown } from './shutdown.js';

const USAGE = `Usage: signal sandbox [options]

Runs a local emulator of Actito's REST API (in memory). Without --config it serves the demo
licence: API key "${DEMO_API_KEY}", entity "demo", table "Profiles". --api-key, --entity and
--table rename parts of that licence instead; each table gets the demo table's attributes.

Options:
  --port N                 Port to listen on (default ${DEFAULT_SANDBOX_PORT}; 0 = any free port)
  --host HOST              Interface to bind (default ${DEFAULT_SANDBOX_HOST})
  --config FILE            JSON licences file (see src/sandbox/config.ts)
  --api-key KEY            API key of the licence, with write access (repeat for more keys)
  --entity NAME            Entity of the licence (default demo)
  --table NAME             Profile table of the entity (default Profiles; repeat for more)
  --token-lifetime SECONDS Access token lifetime (default ${DEFAULT_TOKEN_LIFETIME_SECONDS})
  --calls-per-minute N     Per-licence call budget before slow-down ("unlimited" to lift it)
  --concurrency N          Per-licence requests in flight before 429 ("unlimited" to lift it)
  --no-limits              Lift both limits (benchmarks)
  --help                   Show this help`;

/** Exit status for a bad flag or configuration file. */
const EXIT_USAGE = 2;

interface SandboxFlags {
  port: number;
  host: string;
  configFile: string | undefined;
  /** The licence declared by flags; used only without --config. */
  licence: { apiKeys: string[]; entity: string | undefined; tables: string[] };
  tokenLifetime: number;
  limits: Partial<LicenceLimits>;
  help: boolean;
}

// Never leaves this file: it is caught below and becomes exit status 2.
class UsageError extends Error {}

/** Where the source of a flag-declared licence is named in its error messages. */
const FLAGS_SOURCE = 'given by --api-key, --entity and --table';

/** Runs the sandbox until SIGINT/SIGTERM; resolves 0 once closed, 2 on bad usage. */
export async function runSandboxCommand(args: string[]): Promise<number> {
  let flags: SandboxFlags;
  let config: SandboxConfig;
  try {
    flags = parseFlags(args);
    if (flags.help) {
      console.log(USAGE);
      return 0;
    }
    config = overrideLimits(await licencesOf(flags), flags.limits);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(
        `signal sandbox: ${error.message}\nRun "signal sandbox --help" for the options.`,
      );
      return EXIT_USAGE;
    }
    if (error instanceof SandboxConfigError) {
      console.error(`signal sandbox: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }

  let sandbox;
  try {
    sandbox = await startSandbox({
      port: flags.port,
      host: flags.host,
      config,
      tokenLifetimeSeconds: flags.tokenLifetime,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`signal sandbox: cannot listen on ${flags.host}:${flags.port}: ${reason}`);
    return 1;
  }

  // Listening for the stop signal before announcing the URL: whoever reads the banner may stop
  // the sandbox at once.
  const stopped = waitForShutdown();
  console.log(describe(sandbox.url, config, flags.tokenLifetime));
  await stopped;

  console.log('Actito sandbox stopping');
  await sandbox.close();
  return 0;
}

function parseFlags(args: string[]): SandboxFlags {
  const flags: SandboxFlags = {
    port: DEFAULT_SANDBOX_PORT,
    host: DEFAULT_SANDBOX_HOST,
    configFile: undefined,
    licence: { apiKeys: [], entity: undefined, tables: [] },
    tokenLifetime: DEFAULT_TOKEN_LIFETIME_SECONDS,
    limits: {},
    help: false,
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') && equals !== -1 ? arg.slice(0, equals) : arg;
    // Accept both `--port 7070` and `--port=7070`.
    const value = (): string => {
      const inline = equals !== -1 && arg.startsWith('--') ? arg.slice(equals + 1) : undefined;
      const next = inline ?? args[++i];
      if (next === undefined || next === '') throw new UsageError(`${name} needs a value`);
      return next;
    };

    switch (name) {
      case '--help':
      case '-h':
        flags.help = true;
        break;
      case '--port':
        flags.port = integer(name, value(), 0, 65_535);
        break;
      case '--host':
        flags.host = value();
        break;
      case '--config':
        flags.configFile = value();
        break;
      case '--api-key':
        flags.licence.apiKeys.push(value());
        break;
      case '--entity':
        flags.licence.entity = value();
        break;
      case '--table':
        flags.licence.tables.push(value());
        break;
      case '--token-lifetime':
        flags.tokenLifetime = integer(name, value(), 1, 86_400 * 365);
        break;
      case '--calls-per-minute':
        flags.limits.calls_per_minute = limit(name, value());
        break;
      case '--concurrency':
        flags.limits.concurrency = limit(name, value());
        break;
      case '--no-limits':
        flags.limits = { concurrency: null, calls_per_minute: null };
        break;
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }

  if (flags.configFile !== undefined && declaresLicence(flags)) {
    throw new UsageError('--api-key, --entity and --table declare a licence without --config');
  }
  return flags;
}

function declaresLicence(flags: SandboxFlags): boolean {
  const { apiKeys, entity, tables } = flags.licence;
  return apiKeys.length > 0 || entity !== undefined || tables.length > 0;
}

/** The licences to serve: the file's, or the demo licence renamed by the flags. */
async function licencesOf(flags: SandboxFlags): Promise<SandboxConfig> {
  if (flags.configFile !== undefined) return loadSandboxConfigFile(flags.configFile);

  // A name not given keeps the demo's.
  const { apiKeys, entity, tables } = flags.licence;
  const names = {
    apiKeys: apiKeys.length > 0 ? apiKeys : undefined,
    entity,
    tables: tables.length > 0 ? tables : undefined,
  };
  return parseSandboxConfig(namedLicenceConfig(names), FLAGS_SOURCE);
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function limit(flag: string, text: string): number | null {
  if (text === 'unlimited') return null;
  return integer(flag, text, 1, Number.MAX_SAFE_INTEGER);
}

/**
 * An API key as the banner prints it. Only the demo key is shown whole: it is public. Any other
 * key came from a file or a flag, may be a copy of a real one, and a banner ends up in terminal
 * scrollback and CI logs; its last four characters are enough to tell keys apart.
 */
function shownKey(key: string): string {
  if (key === DEMO_API_KEY) return key;

  return key.length >= 12 ? `****${key.slice(-4)} (masked)` : '**** (masked)';
}

/** The start-up banner: where to point a client, with which credentials, and the controls. */
function describe(url: string, config: SandboxConfig, tokenLifetime: number): string {
  const lines = [`Actito sandbox listening on ${url}`, ''];

  for (const licence of config.licences) {
    const { concurrency, calls_per_minute: perMinute } = licence.limits;
    lines.push(
      `Licence "${licence.id}" (limits: ${concurrency ?? 'unlimited'} concurrent, ` +
        `${perMinute ?? 'unlimited'} calls/minute; tokens live ${tokenLifetime}s)`,
    );
    for (const key of licence.api_keys) lines.push(`  API key   ${shownKey(key.key)}`);
    for (const entity of licence.entities) {
      lines.push(`  Entity    ${entity.name}`);
      for (const table of entity.tables) lines.push(`    Table   ${table.name}`);
    }
  }

  const first = config.licences[0]?.entities[0];
  const profilesQuery = `entity=${first?.name ?? ''}&table=${first?.tables[0]?.name ?? ''}`;
  lines.push(
    '',
    'Control endpoints (no limits, not recorded):',
    `  GET    ${url}/__sandbox/profiles?${profilesQuery}`,
    `  GET    ${url}/__sandbox/requests`,
    `  DELETE ${url}/__sandbox/requests`,
    `  POST   ${url}/__sandbox/reset`,
    `  PUT    ${url}/__sandbox/faults   {"errors":[{"status":503,"rate":0.1}],"latencyMs":50}`,
    `  POST   ${url}/__sandbox/tokens/revoke`,
    `  GET    ${url}/__sandbox/stats`,
    '',
    'Press Ctrl+C to stop.',
  );
  return lines.join('\n');
}
