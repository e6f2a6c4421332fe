// Linux's autogroup scheduling (`/proc/sys/kernel/sched_autogroup_enabled`, on by default on
// desktop and many server kernels) shares the CPU between sessions first and only then between
// the threads of a session by their priorities. Every child that scripts/lib/supervisor.ts starts
// leads a session of its own, so a nice value or SCHED_IDLE set on a process alone does not put
// it behind the others: measured here, SCHED_IDLE busy loops in sessions of their own took two
// thirds of a core each beside two busy loops at nice 0. The session's own nice value does.
import { readFileSync, writeFileSync } from "node:fs";

/**
 * Gives the session of `pid` the nice value `nice` (0 to 19) where sessions are scheduled as
 * groups; false where they are not (no autogroup: a process's own nice value is what counts) or
 * where it may not be set.
 */
export function setSessionNice(pid, nice) {
  try {
    if (readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() !== "1") return false;
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return true;
  } catch {
    return false;
  }
}

