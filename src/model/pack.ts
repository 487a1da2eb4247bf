/**
 * From an opened pack to running models: the ss_flow graph becomes an OrtVelocityModel whose graph is
 * checked against the shapes the manifest declares, so a pack whose manifest and graph disagree is
 * refused by name.
 */

import { InvalidFlowGraphError, InvalidModelPackError } from './errors';
import { flowShapeOf, type GraphEntry, type OpenedPack } from './manifest';
import { OrtVelocityModel, type OrtVelocityModelOptions } from './ort-velocity-model';

export async function flowModelFromPack(
  pack: OpenedPack,
  packName: string,
  options: Omit<OrtVelocityModelOptions, 'expect' | 'name'> = {},
): Promise<OrtVelocityModel> {
  const entry = pack.manifest.graphs.ss_flow as GraphEntry | undefined;
  const bytes = pack.graphs.ss_flow;
  if (!entry || !bytes) {
    throw new InvalidModelPackError(
      packName,
      'missing-graph',
      'graphs.ss_flow',
      'the pack has no velocity graph',
    );
  }
  const expect = flowShapeOf(packName, entry);
  try {
    return await OrtVelocityModel.create(bytes, { ...options, expect, name: entry.file });
  } catch (error) {
    if (error instanceof InvalidFlowGraphError) {
      throw new InvalidModelPackError(
        packName,
        'graph-mismatch',
        `graphs.ss_flow (${entry.file})`,
        `${error.problem}: ${error.message.replace(/\.$/, '')}`,
      );
    }
    throw error;
  }
}
