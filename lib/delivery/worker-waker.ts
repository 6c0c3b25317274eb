/**
 * When the claim loop looks for work again: on a wake (a NOTIFY, a freed slot, a stop), at a
 * worker's own retry falling due, or after the poll interval, whichever comes first. A wake that
 * arrives while the loop is busy is remembered, so the next sleep returns at once.
 */
export class WorkerWaker {
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryTimerAt = Number.POSITIVE_INFINITY;

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = null;
    this.woken = false;
  }

  /** Wake when this worker's own retry falls due, rather than at the next poll. */
  wakeAt(time: number): void {
    if (time >= this.retryTimerAt) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimerAt = time;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null;
        this.retryTimerAt = Number.POSITIVE_INFINITY;
        this.wake();
      },
      Math.max(0, time - Date.now()) + 5,
    );
    this.retryTimer.unref();
  }

  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }
}
