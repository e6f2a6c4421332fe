// Starts the Chainpass server: `node --import tsx server/main.ts` (see README).
import { buildApp } from "./app.js";
import { ConfigError, configFromEnv, type ServerConfig } from "./config.js";

let config: ServerConfig;
try {
  config = configFromEnv();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`chainpass server: ${error.message}`);
  process.exit(1);
}
const app = buildApp(config, { logger: process.env.CHAINPASS_LOG !== "false" });
const { url, gateUrl } = await app.listen();
app.start();
// Always said, also with request logs off: where it listens (a port of 0 is the system's choice),
// and that it does, which is what a supervisor waits for (test/helpers/server.ts: spawnServer).
console.log(`chainpass server: API ${url}, gate ${gateUrl}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void app.close().finally(() => process.exit(0));
  });
}
