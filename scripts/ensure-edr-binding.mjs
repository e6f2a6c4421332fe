// npm skips optional dependencies whose `engines` exclude the Node running npm. Hardhat's
// per-platform EDR binding declares node >= 22, so an `npm install` launched by a system
// Node 20 marks it inert and Hardhat then fails to load. npm scripts run on the Node 22
// that the `node` devDependency installs, so this postinstall step fetches the binding
// that matches the installed @nomicfoundation/edr when (and only when) it is missing.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = process.cwd();

function platformPackage() {
  const { platform, arch } = process;
  if (platform !== "linux") return `@nomicfoundation/edr-${platform}-${arch}${platform === "win32" ? "-msvc" : ""}`;
  const glibc = process.report?.getReport().header.glibcVersionRuntime;
  return `@nomicfoundation/edr-linux-${arch}-${glibc ? "gnu" : "musl"}`;
}

// Not require.resolve: EDR's "exports" map does not expose package.json.
const edrManifest = join(root, "node_modules", "@nomicfoundation", "edr", "package.json");
if (!existsSync(edrManifest)) process.exit(0); // Hardhat not installed: nothing to do.
const name = platformPackage();
const version = JSON.parse(readFileSync(edrManifest, "utf8")).optionalDependencies?.[name];
const target = join(root, "node_modules", ...name.split("/"));
if (!version || existsSync(join(target, "package.json"))) process.exit(0);

const npmCli = process.env.npm_execpath;
const npm = (args, cwd) =>
  npmCli
    ? execFileSync(process.execPath, [npmCli, ...args], { cwd, encoding: "utf8" })
    : execFileSync("npm", args, { cwd, encoding: "utf8" });

const scratch = mkdtempSync(join(tmpdir(), "edr-binding-"));
try {
  npm(["pack", `${name}@${version}`, "--silent"], scratch);
  const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
  mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", join(scratch, tarball), "-C", target, "--strip-components=1"]);
  console.log(`ensure-edr-binding: installed ${name}@${version}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
