// Computations shared by the requests that ask the same thing: what every scanner polls must not
// cost one read of the ledger per poll at a stadium's door.
//   SharedAnswers: one answer for the requests within a short time (the status's used tickets,
//                  which may lag the door by that time);
//   NextReads:     the requests that come while a read is under way share the next one (the
//                  status's counts, which must include the asker's own admissions).
import { setImmediate as nextTurn } from "node:timers/promises";

export class SharedAnswers<T> {
  private readonly recent = new Map<string, { at: number; version: unknown; answer: Promise<T> }>();

  constructor(private readonly reuseMs: number) {}

  /**
   * The answer for `key` started in the last `reuseMs` (done or in flight) from the same `version`
   * of what it is computed from (compared with ===), else `compute()`'s. A failed one is not kept.
   */
  get(key: string, compute: () => Promise<T>, now = Date.now(), version?: unknown): Promise<T> {
    const recent = this.recent.get(key);
    if (recent && now - recent.at < this.reuseMs && recent.version === version) return recent.answer;
    const answer = compute();
    this.recent.set(key, { at: now, version, answer });
    answer.catch(() => this.recent.get(key)?.answer === answer && this.recent.delete(key));
    return answer;
  }
}

/**
 * Reads that must be at least as new as the request (a scanner asks for the counts after each of
 * its admissions), shared by requests that come while one is under way: those wait for the next
 * read, which starts once it ends, and they all get its answer. However many ask, one read per key
 * runs and one waits: a door's forty scanners polling a gate whose database is slow to answer do
 * not pile up a read each (a backlog that kept the chain worker busy after it had answered, when
 * it read the counts).
 */
export class NextReads<T> {
  private readonly slots = new Map<string, { running?: Promise<T>; waiting?: Promise<T> }>();

  /** An answer of `read()` started after this call. */
  read(key: string, read: () => Promise<T>): Promise<T> {
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = {}));
    if (slot.waiting) return slot.waiting;
    const { running } = slot;
    const next: Promise<T> = (async () => {
      await running?.catch(() => undefined);
      // The requests already queued behind this one (a worker's messages that came while it was
      // busy) join it before it starts.
      await nextTurn();
      // Until now this was the slot's waiting read (a request coming meanwhile joined it).
      const self = slot.waiting;
      slot.waiting = undefined;
      slot.running = self;
      try {
        return await read();
      } finally {
        if (slot.running === self) slot.running = undefined;
        if (!slot.running && !slot.waiting) this.slots.delete(key);
      }
    })();
    slot.waiting = next;
    return next;
  }
}
