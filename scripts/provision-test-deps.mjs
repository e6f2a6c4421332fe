// `npm test`'s first step (the `pretest` script): provides what the browser tests and the
// PostgreSQL tests need on a fresh machine, exactly as CI gets it, before any test runs.
//
// - Chromium: when no usable one is found (CHAINPASS_CHROMIUM, /usr/bin/chromium, Playwright's
//   cache), installs Debian's `chromium` with apt-get, as root or through passwordless sudo.
//   Without either, stops at once with one message naming the command to run.
// - PostgreSQL's server programs (initdb, pg_ctl: the tests start a throwaway server of their
//   own, test/helpers/postgres.ts): when none is found (scripts/lib/postgres.mjs), installs
//   Debian's `postgresql` the same way, with the same message when it cannot.
// - fonts-noto-cjk (the Simplified Chinese screens in screenshots): installed the same way when
//   missing; optional, a failure only warns.
import { execFileSync, spawnSync } from "node:child_process";

import { chromiumCandidates, chromiumWorks, missingChromiumMessage } from "./lib/chromium.mjs";
import { missingPostgresMessage, postgresBinDir } from "./lib/postgres.mjs";

const say = (message) => console.log(`[provision] ${message}`);

function usableChromium() {
  const candidates = process.env.CHAINPASS_CHROMIUM ? chromiumCandidates().slice(0, 1) : chromiumCandidates();
  return candidates.find((c) => chromiumWorks(c.path));
}

const hasCommand = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
const isRoot = process.getuid?.() === 0;
const canSudo = () => !isRoot && hasCommand("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
const dpkgHas = (pkg) => spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" }).stdout?.includes("install ok installed");

/** Runs apt-get as root (directly or with sudo -n); returns whether it succeeded. */
let updated = false;
function aptInstall(packages) {
  const run = (args) => {
    const [command, argv] = isRoot ? ["env", args] : ["sudo", ["-n", "env", ...args]];
    return spawnSync(command, argv, { stdio: ["ignore", "inherit", "inherit"] }).status === 0;
  };
  if (!updated) {
    say("apt-get update");
    if (!run(["DEBIAN_FRONTEND=noninteractive", "apt-get", "update"])) return false;
    updated = true;
  }
  say(`apt-get install ${packages.join(" ")}`);
  return run(["DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "--no-install-recommends", ...packages]);
}

const mayInstall = hasCommand("apt-get") && (isRoot || canSudo());

const found = usableChromium();
if (found) {
  if (process.env.CHAINPASS_PROVISION_VERBOSE) say(`Chromium: ${found.path} (${found.from})`);
} else if (process.env.CHAINPASS_CHROMIUM) {
  // The user chose a browser; installing another one would hide the mistake.
  console.error(`\nnpm test: ${missingChromiumMessage()}. Fix or unset CHAINPASS_CHROMIUM.\n`);
  process.exit(1);
} else if (!mayInstall) {
  console.error(
    `\nnpm test: the browser tests need Chromium, and none was found.\n` +
      `Install it once, then run npm test again:\n\n    sudo apt-get install -y chromium\n\n` +
      `(npm test installs it by itself when it runs as root or with passwordless sudo; ` +
      `CHAINPASS_CHROMIUM=/path/to/chromium uses another build.)\n`,
  );
  process.exit(1);
} else {
  say("no usable Chromium: installing Debian's chromium package");
  if (!aptInstall(["chromium"]) || !usableChromium()) {
    console.error(`\nnpm test: installing Chromium with apt-get failed (see above). ${missingChromiumMessage()}\n`);
    process.exit(1);
  }
  say(`Chromium installed: ${execFileSync("/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim()}`);
}

const postgres = postgresBinDir();
if (postgres) {
  if (process.env.CHAINPASS_PROVISION_VERBOSE) say(`PostgreSQL: ${postgres}`);
} else if (process.env.CHAINPASS_PG_BINDIR) {
  // The user chose a build; installing another one would hide the mistake.
  console.error(`\nnpm test: ${missingPostgresMessage()}. Fix or unset CHAINPASS_PG_BINDIR.\n`);
  process.exit(1);
} else if (!mayInstall) {
  console.error(
    `\nnpm test: the PostgreSQL tests need PostgreSQL's server programs (initdb, pg_ctl), and none were found.\n` +
      `Install them once, then run npm test again:\n\n    sudo apt-get install -y postgresql\n\n` +
      `(npm test installs them by itself when it runs as root or with passwordless sudo; ` +
      `CHAINPASS_PG_BINDIR=/path/to/bin uses another build.)\n`,
  );
  process.exit(1);
} else {
  say("no PostgreSQL server programs: installing Debian's postgresql package");
  if (!aptInstall(["postgresql"]) || !postgresBinDir()) {
    console.error(`\nnpm test: installing PostgreSQL with apt-get failed (see above). ${missingPostgresMessage()}\n`);
    process.exit(1);
  }
  say(`PostgreSQL installed: ${postgresBinDir()}`);
}

if (mayInstall && hasCommand("dpkg-query") && !dpkgHas("fonts-noto-cjk")) {
  if (!aptInstall(["fonts-noto-cjk"])) say("fonts-noto-cjk did not install; Chinese text may show as boxes in screenshots");
}
