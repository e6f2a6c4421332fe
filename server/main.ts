// Starts the Chainpass server: `node --import tsx server/main.ts` (see README).
import { buildApp } from "./app.js";
import { configFromEnv } from "./config.js";

const config = configFromEnv();
const app = buildApp(config, { logger: process.env.CHAINPASS_LOG !== "false" });
await app.server.listen({ host: config.host, port: config.port });
app.start();

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void app.close().finally(() => process.exit(0));
  });
}
