// Types of built-marker.mjs (plain JavaScript: scripts/checks.mjs runs before anything compiles).
export declare const BUILT_MARKER: string;
