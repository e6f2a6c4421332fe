// One computation shared by the requests that ask the same thing within a short time: what every
// scanner polls (the status's used tickets) must not cost one read of the ledger per poll at a
// stadium's door.

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
