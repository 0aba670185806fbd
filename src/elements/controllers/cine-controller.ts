/**
 * Cine playback: steps a viewer through its slices at a frame rate, waiting for each slice to be on
 * screen before moving on (slow decodes slow the playback down rather than skipping slices).
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface CineHost extends ReactiveControllerHost {
  /** Frames per second. */
  readonly cineFps: number;
  /** Advances one slice (wrapping); returns false when the current slice is still decoding. */
  cineStep(): boolean;
}

export class CineController implements ReactiveController {
  #host: CineHost;
  #raf = 0;
  #last = 0;
  playing = false;

  constructor(host: CineHost) {
    this.#host = host;
    host.addController(this);
  }

  toggle(): void {
    if (this.playing) this.stop();
    else this.start();
  }

  start(): void {
    if (this.playing) return;
    this.playing = true;
    this.#last = performance.now();
    const tick = (now: number) => {
      if (!this.playing) return;
      const interval = 1000 / Math.max(0.1, Math.min(120, this.#host.cineFps || 15));
      if (now - this.#last >= interval - 1) {
        if (this.#host.cineStep()) this.#last = now - ((now - this.#last) % interval);
      }
      this.#raf = requestAnimationFrame(tick);
    };
    this.#raf = requestAnimationFrame(tick);
    this.#host.requestUpdate();
  }

  stop(): void {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.stop();
  }
}
