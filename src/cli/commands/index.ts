import type { CliCommand } from '../cli-io';
import { editCommand } from './edit';
import { infoCommand } from './info';
import { mergeCommand } from './merge';
import { reconstructCommand } from './reconstruct';
import { renderCommand } from './render';
import { sampleCommand } from './sample';
import { surfaceCommand } from './surface';
import { voxelizeCommand } from './voxelize';

/** Every command, one module each in this folder. Add yours here. */
export const commands: CliCommand[] = [
  infoCommand,
  voxelizeCommand,
  mergeCommand,
  renderCommand,
  sampleCommand,
  surfaceCommand,
  reconstructCommand,
  editCommand,
];
