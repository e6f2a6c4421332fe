// Where the tests find PostgreSQL's server programs (initdb, pg_ctl). Plain JavaScript so that
// the `pretest` step (scripts/provision-test-deps.mjs) can use it before anything is compiled.
//
// Debian's `postgresql` package puts them in /usr/lib/postgresql/<major>/bin, off PATH;
// `pg_config --bindir` names that folder when libpq-dev is installed. CHAINPASS_PG_BINDIR names
// another folder (a build of one's own).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const DEBIAN_ROOT = "/usr/lib/postgresql";

const hasServer = (dir) => !!dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"));

/** The candidate folders in order of preference, with where each came from. */
export function postgresCandidates() {
  if (process.env.CHAINPASS_PG_BINDIR) return [{ dir: process.env.CHAINPASS_PG_BINDIR, from: "CHAINPASS_PG_BINDIR" }];
  const candidates = [];
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    candidates.push({ dir, from: "pg_config --bindir" });
  } catch {
    // no pg_config (it comes with libpq-dev, not with the server)
  }
  if (existsSync(DEBIAN_ROOT)) {
    const majors = readdirSync(DEBIAN_ROOT)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) candidates.push({ dir: join(DEBIAN_ROOT, major, "bin"), from: "Debian's postgresql package" });
  }
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir) candidates.push({ dir, from: "PATH" });
  return candidates;
}

/** The folder holding initdb and pg_ctl, or undefined when PostgreSQL's server is not installed. */
export function postgresBinDir() {
  return postgresCandidates().find((c) => hasServer(c.dir))?.dir;
}

/** The sentence a test prints when there is no PostgreSQL server. */
export function missingPostgresMessage() {
  if (process.env.CHAINPASS_PG_BINDIR) return `CHAINPASS_PG_BINDIR=${process.env.CHAINPASS_PG_BINDIR} holds no initdb and pg_ctl`;
  return `no PostgreSQL server programs found (looked at pg_config --bindir, ${DEBIAN_ROOT}/*/bin and PATH): run \`sudo apt-get install -y postgresql\`, or set CHAINPASS_PG_BINDIR to the folder of initdb and pg_ctl (npm test installs it by itself when it runs as root or with passwordless sudo)`;
}
