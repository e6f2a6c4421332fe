// The scanner's link to the gate, as the door sees it: a circuit breaker. Each scan waits up to
// SCAN_TIMEOUT_MS (lib/gate-timing.ts) for the gate; on a venue Wi-Fi that still looks connected but
// carries nothing, every scan would wait that long before the device decided it itself, one fan
// every 5 s. So once a scan finds the gate unreachable, the link is "down": the next scans are
// decided on the device at once, while a light request (the gate's status, with a short time
// limit) asks the gate every `probeEveryMs`. The first answer from the gate, even a refusal, puts
// the link up again and scans go to the gate.

export interface GateLinkOptions {
  /** Asks the gate something small; resolves when it answered, rejects when it could not be reached. */
  probe: () => Promise<void>;
  /** How often the gate is asked while the link is down. */
  probeEveryMs: number;
  /** Told each time the link goes down or up. */
  onChange?: (down: boolean) => void;
  /** The clock's timer (tests give their own). */
  schedule?: (run: () => void, ms: number) => () => void;
}

const realTimer = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

export class GateLink {
  private isDown = false;
  private cancelProbe?: () => void;
  private stopped = false;
  /** Counts the times the link went down, so a probe of an earlier outage cannot end this one. */
  private outage = 0;

  constructor(private readonly options: GateLinkOptions) {}

  /** Scans skip the gate: it was unreachable, and no probe has reached it since. */
  get down(): boolean {
    return this.isDown;
  }

  /** A request to the gate got no answer (or a proxy's 502/503/504): down, and probing. */
  unreachable(): void {
    if (this.stopped || this.isDown) return;
    this.isDown = true;
    this.outage++;
    this.options.onChange?.(true);
    this.scheduleProbe();
  }

  /** The gate answered (a verdict, a refusal, a status): up. */
  reached(): void {
    if (!this.isDown) return;
    this.isDown = false;
    this.cancelProbe?.();
    this.cancelProbe = undefined;
    this.options.onChange?.(false);
  }

  /** No more probes (the page is left). */
  stop(): void {
    this.stopped = true;
    this.cancelProbe?.();
    this.cancelProbe = undefined;
  }

  private scheduleProbe() {
    const outage = this.outage;
    this.cancelProbe = (this.options.schedule ?? realTimer)(() => {
      this.cancelProbe = undefined;
      this.options.probe().then(
        () => {
          if (!this.stopped && this.outage === outage) this.reached();
        },
        () => {
          if (!this.stopped && this.isDown && this.outage === outage) this.scheduleProbe();
        },
      );
    }, this.options.probeEveryMs);
  }
}
