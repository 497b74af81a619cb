/** Exponential backoff: `baseMs * 2^(attempt - 1)`, capped at `maxMs`. */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** Delay before retry number `attempt` (1 = the first retry); attempts below 1 count as 1. */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
}

/**
 * An interruptible sleep: `wake()` ends the current wait early; a wake while not sleeping makes the
 * next sleep return at once (so a signal that arrives mid-work is not lost).
 */
export class Sleeper {
  private pending: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  private woken = false;

  sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = null;
        resolve();
      }, ms);
      this.pending = { timer, resolve };
    });
  }

  wake(): void {
    if (!this.pending) {
      this.woken = true;
      return;
    }
    clearTimeout(this.pending.timer);
    this.pending.resolve();
    this.pending = null;
  }
}
