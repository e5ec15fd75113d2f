/**
 * The table of `signal` subcommands. Each command lives in its own file and is loaded only when
 * it runs, so `signal sandbox` does not pay for the server's dependencies.
 */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  start: {
    summary: 'Run Signal: ingestion gateway, processor and delivery workers in one process',
    run: async (args) => (await import('./start-command.js')).runStartCommand(args),
  },
  demo: {
    summary: 'Run Signal and the Actito sandbox with a ready pipeline and a demo page',
    run: async (args) => (await import('./demo-command.js')).runDemoCommand(args),
  },
  replay: {
    summary: 'List dead letters or move them back into the delivery queue',
    run: async (args) => (await import('./replay-command.js')).runReplayCommand(args),
  },
  sandbox: {
    summary: 'Run the Actito API emulator (for the demo, tests and trials without an account)',
    run: async (args) => (await import('./sandbox-command.js')).runSandboxCommand(args),
  },
};
