/** The line scripts/checks.mjs prints once the contracts are built; scripts/test-lanes.ts starts the tests on it. */
export const BUILT_MARKER = "checks: the contracts are built";
