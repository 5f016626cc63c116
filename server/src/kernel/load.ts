import { performance } from "node:perf_hooks";

/**
 * How busy this process's event loop is. Background work (sealing the audit log, relaying the
 * outbox) backs off while requests keep the loop busy, and catches up when it is not: on the
 * embedded database every background statement runs on the same thread as the requests.
 */
export class LoadGauge {
  private last = performance.eventLoopUtilization();
  private utilization = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly threshold = 0.8,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      this.utilization = performance.eventLoopUtilization(now, this.last).utilization;
      this.last = now;
    }, intervalMs);
    this.timer.unref();
  }

  /** Requests are keeping the loop working: background work should take one step at a time. */
  active(): boolean {
    return this.utilization > this.threshold;
  }

  stopped = false;

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}
