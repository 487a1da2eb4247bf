import { type CliCommand, type CliIO, processIO, reportError } from './cli-io';
import { commands } from './commands';

function help(list: CliCommand[]): string {
  const lines = list.map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `flowsmith — training-free 3D editing, headless\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help(commands));
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`flowsmith: error: unknown command “${name}”.\n  Run “flowsmith --help” for the list.\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}
