/**
 * `signal demo`, the command behind `npm run demo`, run as its own process the way a newcomer
 * runs it (`node bin/signal.js demo`), on free ports and a throw-away data directory. Like
 * `bin/signal.js` itself, it runs the compiled build when `npm run build` has made one, and the
 * sources otherwise; the page loads the collector from `dist/collector` either way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../../support/eventually.js';

const SIGNAL_BIN = fileURLToPath(new URL('../../../bin/signal.js', import.meta.url));

/** What the command prints once Signal and the sandbox both listen. */
const READY_LINE = 'Signal demo is running.';

/** Through tsx on a fresh checkout, the first start compiles the sources: allow for it. */
const START_TIMEOUT_MS = 30_000;

export interface DemoProcess {
  /** `http://localhost:<port>`: the origin the command tells the visitor to open. */
  url: string;
  /** The bundled Actito sandbox, reachable over HTTP like any other process would reach it. */
  sandboxUrl: string;
  /** The sandbox's profiles of the demo table, oldest first. */
  profiles(): Promise<{ profileId: number; attributes: Record<string, unknown> }[]>;
  stop(): Promise<void>;
}

export async function startDemo(): Promise<DemoProcess> {
  const [port, sandboxPort] = await freePorts(2);
  const dataDir = mkdtempSync(join(tmpdir(), 'signal-demo-'));
  const child = spawn(
    process.execPath,
    [SIGNAL_BIN, 'demo', '--port', String(port), '--sandbox-port', String(sandboxPort)],
    { env: { ...process.env, SIGNAL_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );

  // Standard output also carries the first admin's password, so only errors go into a message.
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));

  const stop = async () => {
    await stopProcess(child);
    rmSync(dataDir, { recursive: true, force: true });
  };

  let printed: { url: string; sandboxUrl: string };
  try {
    printed = await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`signal demo exited early:\n${errors}`);
        return output.includes(READY_LINE) ? printedUrls(output) : undefined;
      },
      `"${READY_LINE}" from signal demo`,
      START_TIMEOUT_MS,
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const { url, sandboxUrl } = printed;
  return {
    url,
    sandboxUrl,
    async profiles() {
      const answer = await fetch(`${sandboxUrl}/__sandbox/profiles?entity=demo&table=Profiles`);
      const body = (await answer.json()) as {
        profiles: { profileId: number; attributes: Record<string, unknown> }[];
      };
      return body.profiles;
    },
    stop,
  };
}

/** The page URL and the sandbox URL the command tells the newcomer about. */
function printedUrls(output: string): { url: string; sandboxUrl: string } {
  const url = /Open (http:\/\/\S+?)\/? in a browser/.exec(output)?.[1];
  const sandboxUrl = /Actito sandbox: (http:\/\/\S+)/.exec(output)?.[1];
  if (!url || !sandboxUrl) throw new Error('signal demo printed no page or sandbox URL');

  return { url, sandboxUrl };
}

/**
 * Ports nobody listens on right now, all different: each is held until every one is found. The
 * demo takes its ports as numbers, and it prints its URL from them, so 0 would not do.
 */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );

  return ports;
}

/** SIGTERM, the signal `signal demo` shuts down on; resolves once the process has exited. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
