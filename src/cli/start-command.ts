/**
 * `signal start`: runs every role in one process on the embedded SQLite store (the gateway on
 * the main thread, processing and delivery on a thread of their own), provisioning pipelines and
 * integrations from the configuration file when given.
 */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/config-file.js';
import { readEnvironment } from '../config/environment.js';
import { provision } from '../config/provision.js';
import { recordProvisioning } from '../admin/provisioning-audit.js';
import { ConfigError } from '../core/errors.js';
import { createLogger } from '../observability/logger.js';
import { DEFAULT_RETENTION, startSignalApp } from '../runtime/signal-app.js';
import { embeddedStore, openStore } from '../store/open-store.js';
import { waitForShutdown } from './shutdown.js';

const HELP = `Usage: signal start [--config FILE] [--port N]

Runs Signal: the ingestion gateway, the processor and the delivery workers.

Options:
  --config FILE   provision pipelines and integrations from FILE (or SIGNAL_CONFIG)
  --port N        listen on port N (or SIGNAL_PORT; default 8080)

Environment: SIGNAL_PORT, SIGNAL_HOST, SIGNAL_DATA_DIR (./data), SIGNAL_CONFIG, LOG_LEVEL,
SIGNAL_ENCRYPTION_KEY, SIGNAL_TRUST_PROXY, SIGNAL_SQLITE_SYNCHRONOUS (full|normal),
SIGNAL_RETENTION_DAYS (7; 0 keeps all history).`;

export async function runStartCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }

  const env = readEnvironment({
    ...process.env,
    ...(values.port ? { SIGNAL_PORT: values.port } : {}),
    ...(values.config ? { SIGNAL_CONFIG: values.config } : {}),
  });
  if (env.databaseUrl) {
    throw new ConfigError(
      'INVALID_CONFIG',
      'DATABASE_URL is set, but this build stores data in SQLite only: unset it to use the embedded store',
    );
  }

  const logger = createLogger({ level: env.logLevel });
  const location = embeddedStore(env.dataDir, env.sqliteSynchronous);
  const store = await openStore(location, logger);

  if (env.configFile) {
    const report = await provision(store, loadConfigFile(env.configFile));
    await recordProvisioning(store, report);
    logger.info({ file: env.configFile, ...report }, 'configuration provisioned');
  }

  const app = await startSignalApp({
    store,
    logger,
    port: env.port,
    host: env.host,
    trustProxy: env.trustProxy,
    retention:
      env.retentionDays === 0
        ? null
        : { ...DEFAULT_RETENTION, maxAgeMs: env.retentionDays * 24 * 60 * 60_000 },
    engineThread: { store: location, logLevel: env.logLevel, onFailure: () => process.exit(1) },
  });
  const stopped = waitForShutdown(logger);
  console.log(`Signal is running at ${app.url} (data in ${env.dataDir})`);

  await stopped;
  await app.close();
  await store.close();
  return 0;
}
