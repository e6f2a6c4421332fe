// When the freshness barrier may start its next round. Scans share the next round to start; a
// round starts at most every `floorMs`, and not while the previous one is still out: scans arriving
// meanwhile wait for it to come back and then share the next. So a node that answers fast is asked
// up to every `floorMs`, and a slow one (a busy machine, a remote RPC) once per answer, each read
// then serving every scan that arrived meanwhile, instead of being asked more and more at once.
// A quiet door's scan still starts its round at once.

export class RoundPacer {
  private lastStart = -Infinity;
  private out?: Promise<void>;

  constructor(private readonly floorMs: number) {}

  /** undefined when a round may start at `now` (performance.now()); else when one may. */
  ready(now: number): Promise<void> | undefined {
    if (!this.out && now - this.lastStart >= this.floorMs) return undefined;
    return (this.out ?? Promise.resolve()).then(() => this.floorPassed());
  }

  // Node's timers count from the loop's cached clock, in whole milliseconds, so one may fire a
  // little before performance.now() says the floor has passed: wait again for the rest.
  private async floorPassed(): Promise<void> {
    for (;;) {
      const wait = this.lastStart + this.floorMs - performance.now();
      if (wait <= 0) return;
      await new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(wait)));
    }
  }

  /** A round started at `now`; returns it. */
  started<T>(now: number, round: Promise<T>): Promise<T> {
    this.lastStart = now;
    const out = round.then(
      () => undefined,
      () => undefined,
    );
    this.out = out;
    void out.then(() => {
      if (this.out === out) this.out = undefined;
    });
    return round;
  }
}
