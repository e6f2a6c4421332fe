// `npm run server` reads `.env` (or CHAINPASS_ENV_FILE) when it exists, and a bad value stops it
// at once with a message naming the variable, before anything listens.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

/** Runs `npm run server` with `envFile` as its .env; resolves with the exit code and stderr. */
function runServer(envFile: string): Promise<{ code: number | null; stderr: string }> {
  // Values already in the environment win over the file (Node's rule), so none are passed on.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("CHAINPASS_")));
  const child = spawn("npm", ["run", "--silent", "server"], { env: { ...env, CHAINPASS_ENV_FILE: envFile }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    }),
  );
}

describe("Server: configuration from .env", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), "chainpass-env-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [variable, value] of [
    ["CHAINPASS_PORT", "eighty"],
    ["CHAINPASS_FACTORY", "0x1234"],
    ["CHAINPASS_RPC_URL", "not a url"],
  ] as const) {
    it(`stops with a message naming ${variable} when the .env file sets it to ${JSON.stringify(value)}`, async function () {
      const file = path.join(dir, `${variable}.env`);
      writeFileSync(file, `# a deployment's settings\nCHAINPASS_DB=${path.join(dir, "db.sqlite")}\n${variable}=${value}\n`);
      const { code, stderr } = await runServer(file);
      expect(code).to.equal(1);
      expect(stderr).to.contain(variable);
    });
  }
});
