/**
 * Keeps several orbit cameras on one pose: moving one moves the others. Poses live outside React
 * state, so orbiting re-renders nothing but the canvases.
 */
export interface CameraPose {
  position: [number, number, number];
  target: [number, number, number];
}

type Listener = (pose: CameraPose, from: symbol) => void;

export const DEFAULT_POSE: CameraPose = { position: [1.1, 0.8, 1.5], target: [0, 0, 0] };

export class CameraSync {
  private pose: CameraPose = DEFAULT_POSE;
  private readonly listeners = new Set<Listener>();

  current(): CameraPose {
    return this.pose;
  }

  publish(pose: CameraPose, from: symbol): void {
    this.pose = pose;
    for (const listener of this.listeners) listener(pose, from);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
