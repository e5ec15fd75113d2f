/**
 * `signal demo` (`npm run demo`): the Actito sandbox and Signal in one process, wired together,
 * with a demo page that loads datafly.js, so a newcomer sees an event travel from a browser to
 * an Actito profile on a machine with no Actito account.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/environment.js';
import { provision } from '../config/provision.js';
import { demoConfig } from '../demo/demo-config.js';
import { registerDemoRoutes } from '../demo/demo-routes.js';
import { createLogger } from '../observability/logger.js';
import { startSignalApp } from '../runtime/signal-app.js';
import { startSandbox } from '../sandbox/index.js';
import { embeddedStore, openStore } from '../store/open-store.js';
import { waitForShutdown } from './shutdown.js';

const HELP = `Usage: signal demo [--port 8080] [--sandbox-port 7070]

Starts the Actito sandbox and Signal with a ready pipeline, integration and demo page.`;

export async function runDemoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: process.env.SIGNAL_PORT ?? '8080' },
      'sandbox-port': { type: 'string', default: '7070' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }

  const env = readEnvironment({ ...process.env, SIGNAL_PORT: values.port });
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const sandbox = await startSandbox({ port: Number(values['sandbox-port']) });
  const location = embeddedStore(join(env.dataDir, 'demo'));
  const store = await openStore(location, logger);

  const signalUrl = `http://localhost:${env.port}`;
  const allowedOrigins = [signalUrl, `http://127.0.0.1:${env.port}`];
  await provision(store, demoConfig({ allowedOrigins, sandboxUrl: sandbox.url }));
  const app = await startSignalApp({
    store,
    logger,
    port: env.port,
    host: '127.0.0.1',
    routes: (http) => registerDemoRoutes(http, { sandbox }),
    engineThread: { store: location, onFailure: () => process.exit(1) },
  });

  const stopped = waitForShutdown(logger);
  console.log(`
Signal demo is running.

  Open ${signalUrl}/ in a browser (the demo page loads ${signalUrl}/datafly.js).
  1. Click "Accept marketing cookies" (a OneTrust-style consent cookie).
  2. Click "Identify Jane", then "Track Signed Up".
  3. The page shows the Actito sandbox's profile within a second:
     {"email":"jane.doe@example.com","firstName":"Jane","lastName":"Doe",
      "phone":"+447700900123","language":"en","marketingConsent":true}
  4. Click "Withdraw consent": the profile's marketingConsent turns false.

  Actito sandbox: ${sandbox.url} (API key sandbox-key, entity demo, table Profiles)
  Metrics:        ${signalUrl}/metrics
  Data:           ${join(env.dataDir, 'demo')}

Press Ctrl+C to stop.`);

  await stopped;
  await app.close();
  await store.close();
  await sandbox.close();
  return 0;
}
