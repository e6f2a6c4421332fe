// The gate's clock as this device knows it. Offline, the device checks each pass's frame time
// itself (at most maxFrameAge old and maxClockSkew ahead: 35 s and 5 s by default) and stamps its
// admissions with the time; with its own clock, a staff phone a minute off would refuse every
// good pass as a stale frame, and the gate would refuse its uploads as admissions in the future.
// So each gate status carries the gate's time (serverTimeMs), and the device keeps its offset
// from it: of the last few samples, the one with the shortest round trip (NTP's rule: its
// midpoint is the least uncertain). Offline it reads the gate's time as its own plus that offset.
// Kept in localStorage, so a reload without the link still knows it.

/** One reading: the gate's time minus the device's at the request's midpoint, and the round trip. */
interface Sample {
  offsetMs: number;
  rttMs: number;
}

/** Samples kept (the status is polled every 5 s); a clock set since drops them all (note()). */
const KEPT = 6;
const STORAGE_KEY = "chainpass-gate-clock";
/** Beyond the round trips, how far a new sample may stray before a clock counts as set (a server's clock ticks unevenly by milliseconds). */
const CLOCK_SET_SLACK_MS = 1000;

export class GateClock {
  private samples: Sample[];

  constructor(private readonly storage: Pick<Storage, "getItem" | "setItem"> | undefined = typeof localStorage === "undefined" ? undefined : localStorage) {
    this.samples = readSamples(storage);
  }

  /** A gate's answer carrying its time `gateMs`, to a request sent at `sentAt` and answered at `receivedAt` (the device's Date.now()). */
  note(gateMs: number, sentAt: number, receivedAt: number): void {
    if (!Number.isFinite(gateMs) || receivedAt < sentAt) return;
    const sample = { offsetMs: gateMs - (sentAt + receivedAt) / 2, rttMs: receivedAt - sentAt };
    // Farther from the best sample than both round trips allow: one of the clocks was set since
    // (a device's clock corrected, or changed by hand), and the older samples are wrong.
    const best = this.best();
    const moved = best && Math.abs(sample.offsetMs - best.offsetMs) > sample.rttMs + best.rttMs + CLOCK_SET_SLACK_MS;
    this.samples = moved ? [sample] : [...this.samples, sample].slice(-KEPT);
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.samples));
    } catch {
      // storage full or refused: the offset still holds for this page
    }
  }

  /** The gate's time minus this device's, in ms (0 before any sample). */
  offsetMs(): number {
    const best = this.best();
    return best ? Math.round(best.offsetMs) : 0;
  }

  private best(): Sample | undefined {
    let best: Sample | undefined;
    for (const sample of this.samples) if (!best || sample.rttMs < best.rttMs) best = sample;
    return best;
  }

  /** The gate's time now, in unix seconds, by this device's clock and the offset. */
  nowSeconds(deviceNowMs = Date.now()): number {
    return Math.floor((deviceNowMs + this.offsetMs()) / 1000);
  }
}

function readSamples(storage: Pick<Storage, "getItem"> | undefined): Sample[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((s): s is Sample => typeof s?.offsetMs === "number" && typeof s?.rttMs === "number" && Number.isFinite(s.offsetMs) && s.rttMs >= 0).slice(-KEPT);
  } catch {
    return [];
  }
}

/** This device's knowledge of the gate's clock. */
export const gateClock = new GateClock();
