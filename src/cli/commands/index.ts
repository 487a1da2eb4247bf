import type { CliCommand } from '../cli-io';

/** Every command, one module each in this folder. Add yours here. */
export const commands: CliCommand[] = [];
