import { describe, expect, it } from 'vitest';
import { type CameraPose, CameraSync } from './camera-sync';

describe('CameraSync', () => {
  it('moves every other camera and ignores the echoes they emit while being moved', () => {
    const sync = new CameraSync();
    const a = Symbol('a');
    const b = Symbol('b');
    const seenByB: CameraPose[] = [];
    let echoes = 0;
    sync.subscribe((_pose, from) => {
      if (from === a) return;
      echoes++;
    });
    sync.subscribe((pose, from) => {
      if (from === b) return;
      seenByB.push(pose);
      // Moving b's controls makes them publish their (tiny-drifted) pose back.
      sync.publish({ ...pose, position: [pose.position[0] + 1e-16, pose.position[1], pose.position[2]] }, b);
    });
    const pose: CameraPose = { position: [1, 2, 3], target: [0, 0, 0] };
    sync.publish(pose, a);
    expect(seenByB).toEqual([pose]);
    expect(echoes).toBe(0);
    expect(sync.current()).toEqual(pose);
  });
});
