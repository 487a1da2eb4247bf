import { describe, expect, it } from 'vitest';
import { remerge, voxelMerge } from '../core/merge';
import { perturb, randomGrid, seededRandom } from '../core/merge/testing';
import { MergeService } from './merge-service';

function pair(seed: number) {
  const random = seededRandom(seed);
  const source = randomGrid(32, 0.2, random);
  return { source, edited: perturb(source, 0.03, random) };
}

describe('MergeService', () => {
  it('without a GPU it is the CPU twin, and re-merges from the stored labelling', async () => {
    const service = new MergeService();
    const { source, edited } = pair(7);
    const outcome = await service.merge({ source, edited, resolution: 32, tau: 4, rule: 'fixed' });
    const expected = voxelMerge(source, edited, 32, { tau: 4, rule: 'fixed' });
    expect(outcome.backend).toBe('cpu');
    expect(outcome.merged).toEqual(expected.merged);
    expect(outcome.mask).toEqual(expected.mask);
    expect(outcome.kept).toEqual(expected.kept);
    expect(outcome.components.count).toBe(expected.components.count);

    const again = await service.remerge({ tau: 250, rule: 'adaptive' });
    const direct = remerge(expected, source, { tau: 250, rule: 'adaptive' });
    expect(again.merged).toEqual(direct.merged);
    expect(again.tau).toBe(direct.tau);
    expect(again.kept).toEqual(direct.kept);
  });

  it('keeps its own copies, so the caller may reuse or transfer every buffer', async () => {
    const service = new MergeService();
    const { source, edited } = pair(3);
    const first = await service.merge({ source, edited, resolution: 32, tau: 2, rule: 'fixed' });
    source.fill(0);
    // What the worker does with a result: transfer (detach) every array of the table.
    structuredClone(first.components, {
      transfer: [first.components.label.buffer, first.components.size.buffer, first.components.bbox.buffer],
    });
    const again = await service.remerge({ tau: 2, rule: 'fixed' });
    expect(again.merged).toEqual(first.merged);
  });

  it('falls back to the CPU when the device provider has none or fails', async () => {
    const { source, edited } = pair(11);
    for (const provider of [async () => null, async () => Promise.reject(new Error('no adapter'))]) {
      const outcome = await new MergeService(provider).merge({
        source,
        edited,
        resolution: 32,
        tau: 3,
        rule: 'fixed',
      });
      expect(outcome.backend).toBe('cpu');
    }
  });

  it('says clearly when there is nothing to re-merge, and passes bad input on as typed errors', async () => {
    const service = new MergeService();
    await expect(service.remerge({ tau: 10, rule: 'fixed' })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    const { source } = pair(1);
    await expect(
      service.merge({ source, edited: new Uint8Array(10), resolution: 32, tau: 10, rule: 'fixed' }),
    ).rejects.toMatchObject({ name: expect.stringMatching(/Error/) });
    await expect(
      service.merge({ source, edited: source, resolution: 32, tau: 0, rule: 'fixed' }),
    ).rejects.toThrow(/τ|tau/i);
  });
});
