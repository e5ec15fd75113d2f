/**
 * A tiny request/reply protocol over Node's IPC channel, so a benchmark can run the server under
 * test in its own process (its event loop shared with nothing else) and still ask it questions:
 * "start now", "is the queue drained?", "stop and tell me your peak memory".
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface CallMessage {
  id: number;
  method: string;
  arg: unknown;
}

type ReplyMessage =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

interface ReadyMessage {
  ready: unknown;
}

/** A running child and the way to call it. */
export interface ChildHandle<Ready> {
  pid: number;
  ready: Ready;
  call<T>(method: string, arg?: unknown): Promise<T>;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  kill(): void;
}

/**
 * Forks `script` (TypeScript, run through tsx) with `options` as its only argument, and resolves
 * once the child has announced it is ready.
 */
export async function startChild<Ready>(
  script: URL,
  options: unknown,
): Promise<ChildHandle<Ready>> {
  const child = fork(fileURLToPath(script), [JSON.stringify(options)], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const pending = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  let nextId = 1;

  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script.pathname} exited (${code}) early`)));
    child.on('message', (message: ReadyMessage | ReplyMessage) => {
      if ('ready' in message) return resolve(message.ready as Ready);
      settle(pending, message);
    });
  });

  void exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error('the child exited'));
  });

  return {
    pid: child.pid ?? -1,
    ready,
    exited,
    kill: () => void child.kill('SIGKILL'),
    call<T>(method: string, arg?: unknown): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: (value) => resolve(value as T), reject });
        send(child, { id, method, arg });
      });
    },
  };
}

function settle(
  pending: Map<number, { resolve(value: unknown): void; reject(e: Error): void }>,
  message: ReplyMessage,
): void {
  const waiter = pending.get(message.id);
  if (!waiter) return;

  pending.delete(message.id);
  if (message.ok) waiter.resolve(message.value);
  else waiter.reject(new Error(message.error));
}

function send(child: ChildProcess, message: CallMessage): void {
  child.send(message);
}

/** In the child: the options the parent passed. */
export function childOptions<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('this script is started by the benchmarks, not by hand');
  return JSON.parse(raw) as T;
}

/**
 * In the child: tells the parent it is ready, then answers its calls with `handlers`. After
 * answering `stop` it closes the channel, so the process exits once its own work is closed.
 */
export function serveParent(
  ready: unknown,
  handlers: Record<string, (arg: unknown) => Promise<unknown>>,
): void {
  process.on('message', (message: CallMessage) => {
    const handler = handlers[message.method];
    const result = handler
      ? handler(message.arg)
      : Promise.reject(new Error(`unknown method ${message.method}`));

    const reply = (answer: ReplyMessage) =>
      process.send?.(answer, undefined, undefined, () => {
        if (message.method === 'stop') process.disconnect?.();
      });

    result.then(
      (value) => reply({ id: message.id, ok: true, value }),
      (error: unknown) => reply({ id: message.id, ok: false, error: String(error) }),
    );
  });
  process.send?.({ ready } satisfies ReadyMessage);
}

/** Asks the child to stop, waits for it to exit (killing it after 10 s), returns its report. */
export async function stopChild<Report, Ready>(child: ChildHandle<Ready>): Promise<Report> {
  const report = await child.call<Report>('stop');
  const timer = setTimeout(() => child.kill(), 10_000);
  await child.exited;
  clearTimeout(timer);
  return report;
}

/**
 * Calls `method` every 50 ms until `done` accepts its answer (true) or `timeoutMs` has passed
 * (false), so a parent can wait for a child's state without flooding its event loop with calls.
 */
export async function pollChild<T>(
  child: ChildHandle<unknown>,
  method: string,
  done: (answer: T) => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (done(await child.call<T>(method))) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/**
 * A process's CPU time, all threads, user and system, in milliseconds: the one unit the children
 * answer `sample` in and the parent measures itself in, so their figures can be added up.
 */
export function cpuMs(usage: NodeJS.CpuUsage = process.cpuUsage()): number {
  return (usage.user + usage.system) / 1000;
}
