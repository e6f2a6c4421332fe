// Types of chromium.mjs (plain JavaScript so that `pretest` can run it before anything compiles).
export declare const CHROMIUM_ARGS: string[];
export declare const DEBIAN_CHROMIUM: string;
export declare function chromiumCandidates(): { path: string; from: string }[];
export declare function chromiumWorks(path: string): boolean;
export declare function findChromium(): string | undefined;
export declare function missingChromiumMessage(): string;
