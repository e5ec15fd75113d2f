/**
 * The `signal` executable: one binary, one subcommand per role or tool.
 */
import { commands } from './commands.js';

const USAGE = `Usage: signal <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  .join('\n')}

Run "signal <command> --help" for the options of a command.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;

  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name === undefined ? 1 : 0;
  }

  const command = commands[name];
  if (command === undefined) {
    console.error(`signal: unknown command "${name}"\n\n${USAGE}`);
    return 1;
  }

  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    // Long-running commands (start, sandbox, demo) resolve only when asked to stop.
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`signal: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
