/**
 * The table of `signal` subcommands. Each command lives in its own file and is loaded only when
 * it runs, so `signal sandbox` does not pay for the server's dependencies.
 */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  sandbox: {
    summary: 'Run the Actito API emulator (for the demo, tests and trials without an account)',
    run: async (args) => (await import('./sandbox-command.js')).runSandboxCommand(args),
  },
};
