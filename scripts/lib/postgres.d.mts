// Types of postgres.mjs (plain JavaScript so that `pretest` can run it before anything compiles).
export declare function postgresCandidates(): { dir: string; from: string }[];
export declare function postgresBinDir(): string | undefined;
export declare function missingPostgresMessage(): string;
