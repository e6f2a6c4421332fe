// One time limit for a promise, used wherever a wait must end: `work`'s outcome, or what `late`
// gives when `ms` pass first. The timer is cleared as soon as either settles (a gate asks its
// chain thread at every barrier round: a timer left behind by each answer would pile up) and
// never keeps the process alive on its own.

/**
 * `work`'s outcome if it settles within `ms`; else `late()`'s (which may throw, to reject with
 * its error, or return a stand-in value). `late` is not called when `work` settled first.
 */
export function within<T, L = never>(work: Promise<T>, ms: number, late: () => L | Promise<L>): Promise<T | L> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<L>((resolve, reject) => {
    timer = setTimeout(() => {
      new Promise<L>((settle) => settle(late())).then(resolve, reject);
    }, ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
