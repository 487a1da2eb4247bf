/**
 * Keeps several orbit cameras on one pose: moving one moves the others. Poses live outside React
 * state, so orbiting re-renders nothing but the canvases.
 */
export interface CameraPose {
  position: [number, number, number];
  target: [number, number, number];
}

type Listener = (pose: CameraPose, from: symbol) => void;

export const DEFAULT_POSE: CameraPose = { position: [1.75, 1.3, 2.4], target: [0, 0, 0] };

export class CameraSync {
  private pose: CameraPose = DEFAULT_POSE;
  private readonly listeners = new Set<Listener>();
  private publishing = false;

  current(): CameraPose {
    return this.pose;
  }

  /** Applying a pose makes the other controls emit their own change; those echoes are ignored. */
  publish(pose: CameraPose, from: symbol): void {
    if (this.publishing) return;
    this.pose = pose;
    this.publishing = true;
    try {
      for (const listener of this.listeners) listener(pose, from);
    } finally {
      this.publishing = false;
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
