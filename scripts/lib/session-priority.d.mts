// Types of session-priority.mjs (plain JavaScript: scripts/checks.mjs runs before anything compiles).
export declare function setSessionNice(pid: number, nice: number): boolean;
